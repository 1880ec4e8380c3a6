/**
 * Tokenisation for the lexical index. The same function runs on passages and on queries so that
 * both sides agree on what a term is.
 *
 * - Latin text: lower-cased words; numbers keep their decimal point and lose thousands separators
 *   ("2,698.17" → "2698.17") so a figure typed either way matches; "S&P" and "M&A" stay whole.
 * - CJK text has no spaces: each run becomes its overlapping character bigrams (the usual
 *   unsupervised choice for Chinese retrieval), plus the single character for one-character runs.
 * - Very common English words are dropped: they carry no signal in BM25 and make queries slow
 *   (measured: 10–20× slower at 100k chunks with them kept).
 */

const STOPWORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her hers him his ' +
    'how i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours about after again ' +
    'against all am any because before below between both down during each few further here s t don now also much many'
  ).split(' '),
);

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;
// A number (with optional thousands separators and decimals), or a word that may hold & or an
// inner apostrophe/hyphen-free letters and digits.
const LATIN_TOKEN = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\p{L}\p{N}]+(?:&[\p{L}\p{N}]+)*/gu;

export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.normalize('NFKC').toLowerCase();
  if (!hasCjk(lower)) {
    pushLatin(lower, tokens);
    return tokens;
  }
  let last = 0;
  for (const match of lower.matchAll(CJK_RUN)) {
    pushLatin(lower.slice(last, match.index), tokens);
    pushCjk(match[0], tokens);
    last = (match.index ?? 0) + match[0].length;
  }
  pushLatin(lower.slice(last), tokens);
  return tokens;
}

/**
 * `match` with a global pattern gives the matched strings alone: `matchAll` built a match object
 * (and cloned the pattern) for every token, a third of what an offline chat allocated (the heap
 * profiler under the store bench's load), all of it work for the young-generation collector.
 */
function pushLatin(text: string, tokens: string[]): void {
  for (let token of text.match(LATIN_TOKEN) ?? []) {
    // A number starts with a digit (a character test: this runs for every token of every passage).
    const first = token.charCodeAt(0);
    if (first >= 48 && first <= 57 && token.includes(',')) token = token.replace(/,/g, '');
    if (STOPWORDS.has(token)) continue;
    tokens.push(token);
  }
}

function pushCjk(run: string, tokens: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    tokens.push(chars[0]!);
    return;
  }
  for (let index = 0; index + 1 < chars.length; index += 1) tokens.push(chars[index]! + chars[index + 1]!);
}

/** True when a string holds CJK characters (used to pick query strategies). */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u.test(text);
}
