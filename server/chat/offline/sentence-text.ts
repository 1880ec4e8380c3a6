/**
 * Quoting article sentences in an answer (pure): cleaning quoted text, putting a citation marker
 * before the sentence's final punctuation, and the stemmer the sentence selector matches words with.
 */

/**
 * A light suffix stripper for matching a question's words to a sentence's ("smaller" ~ "small",
 * "outperforming" ~ "outperform", "caps" ~ "cap"): enough for English finance prose, no more.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  // A final "e" goes too, so "include", "includes" and "included" (or "increase" and "increased") meet.
  return word.replace(/(?:ing|ed|er|est|ies|es|s|ly)$/, '').replace(/e$/, '') || word;
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
