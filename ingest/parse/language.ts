/**
 * A cheap primary-language guess for retrieval (tokenisation and stemming choices), not a
 * classifier: script counts first, then stopword counts among Latin-script languages.
 */

const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set(['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'with', 'as', 'on', 'are', 'this', 'by']),
  es: new Set(['el', 'la', 'los', 'las', 'de', 'que', 'y', 'en', 'del', 'por', 'con', 'una', 'para', 'es', 'se']),
  fr: new Set(['le', 'la', 'les', 'des', 'et', 'est', 'du', 'que', 'une', 'pour', 'dans', 'sur', 'pas', 'au']),
  de: new Set(['der', 'die', 'das', 'und', 'ist', 'nicht', 'mit', 'den', 'von', 'zu', 'ein', 'eine', 'auf', 'für']),
};

/** Enough text to tell languages apart; counting a whole 5 MB page would only cost time. */
const SAMPLE_CHARS = 20_000;

export function detectLanguage(fullText: string): string | undefined {
  const text = fullText.slice(0, SAMPLE_CHARS);
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const kana = text.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  const hangul = text.match(/\p{Script=Hangul}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  // A CJK character carries about a word; a Latin word is about five letters.
  const latinWords = latin / 5;
  if (kana > 0 && kana + han > latinWords) return 'ja';
  if (hangul > latinWords && hangul > han) return 'ko';
  if (han > latinWords) return 'zh';
  if (latin === 0) return undefined;
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const [language, words] of Object.entries(STOPWORDS)) {
      if (words.has(word)) counts.set(language, (counts.get(language) ?? 0) + 1);
    }
  }
  let best = 'en';
  let bestCount = 0;
  for (const [language, count] of counts) {
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}
