/**
 * Quoting article sentences in an answer (pure): cleaning quoted text, putting a citation marker
 * before the sentence's final punctuation, and the stemmer the sentence selector matches words with.
 */

/**
 * A light suffix stripper for matching a question's words to a sentence's ("smaller" ~ "small",
 * "outperforming" ~ "outperform", "caps" ~ "cap"): enough for English finance prose, no more.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  // A short word loses only its plural "s" or its final "e", so "rate" and "rates", "fee" and "fees" meet.
  if (word.length === 4) return /[^s]s$/.test(word) ? word.slice(0, -1) : word.replace(/e$/, '');
  // "-ies" plurals meet their "-y" singulars ("liabilities" and "liability", "companies" and "company").
  if (word.endsWith('ies')) return word.slice(0, -3);
  const stripped = word.replace(/(?:ing|ed|er|est|es|s|ly)$/, '');
  // A final "e" goes too, so "include", "includes" and "included" (or "increase" and "increased") meet.
  return (stripped === word ? word.replace(/y$/, '') : stripped).replace(/e$/, '') || word;
}

/**
 * Article text is quoted material: drop the article's own reference markers (they index its
 * reference list, not ours), links and images, and anything that could render as HTML.
 */
export function cleanSentence(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\((?:[^)]*)\)/g, '$1')
    .replace(/\s*\[\d{1,3}\]/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * "Revenue rose." + 3 → "Revenue rose [3]."; a Chinese clause quoted from a list ("…更贵；") ends
 * as a sentence: "…更贵 [3]。".
 */
export function withMarker(sentence: string, n: number): string {
  const match = /^(.*?)([.!?。！？；;，,：:]*)$/s.exec(sentence)!;
  const chinese = /\p{Script=Han}/u.test(sentence);
  const end = /^[;；,，:：]*$/.test(match[2]!) ? (chinese ? '。' : '.') : match[2]!;
  return `${match[1]} [${n}]${end}`;
}
