/**
 * Sentence splitting on top of ICU's sentence segmenter (`Intl.Segmenter`), plus the repairs ICU
 * needs for news prose: without abbreviation suppressions it ends a sentence at "U.S. Treasury",
 * "Mr. Powell" or "Jan. 5" whenever a capital letter follows the period. Decimals ("2,698.17",
 * "3.5 percentage points") are already safe: ICU never breaks a period followed by a digit.
 * CJK full stops (。！？) end sentences whatever the locale.
 */

const CJK_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;

// Abbreviations that are practically never the last word of a sentence: always joined to the next.
const NEVER_FINAL = new Set(
  (
    'mr mrs ms dr prof sen rep gov gen lt col sgt st jr sr vs v e.g i.e cf approx no nos fig ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

// Abbreviations that may end a sentence ("… listed in the U.S."): joined to the next segment unless
// that segment opens with a word that is capitalised only because it starts a sentence.
const MAYBE_FINAL = new Set('inc corp co ltd plc llc etc al bros dept est'.split(' '));

const SENTENCE_OPENERS = new Set(
  (
    'the a an this that these those it its in on at by for from with as but and or so yet however meanwhile ' +
    'while when if although though despite after before since during because still also moreover furthermore ' +
    'overall analysts investors he she they we i you there here what why how our their his her such some many most ' +
    'other another each both one two three first second then thus therefore instead indeed notably'
  ).split(' '),
);

let englishSegmenter: Intl.Segmenter | undefined;
let chineseSegmenter: Intl.Segmenter | undefined;

function segmenterFor(text: string): Intl.Segmenter {
  // Created lazily so that importing this module does no work; cached because construction loads ICU data.
  if (CJK_CHAR.test(text)) return (chineseSegmenter ??= new Intl.Segmenter('zh', { granularity: 'sentence' }));
  return (englishSegmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' }));
}

/** Sentences of `text`, trimmed, empty ones dropped. */
export function splitSentences(text: string): string[] {
  return splitSentencesRaw(text)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

/**
 * Sentences with their original surrounding whitespace, so that joining them gives back `text`
 * exactly (the chunker relies on this to keep passages verbatim).
 */
export function splitSentencesRaw(text: string): string[] {
  const pieces: string[] = [];
  for (const { segment } of segmenterFor(text).segment(text)) {
    const previous = pieces.at(-1);
    if (previous !== undefined && shouldJoin(previous, segment)) pieces[pieces.length - 1] = previous + segment;
    else pieces.push(segment);
  }
  // Whitespace-only segments (e.g. a trailing newline) belong to the sentence before them.
  const merged: string[] = [];
  for (const piece of pieces) {
    if (piece.trim() === '' && merged.length > 0) merged[merged.length - 1] += piece;
    else merged.push(piece);
  }
  return merged;
}

function shouldJoin(previous: string, next: string): boolean {
  const trimmed = previous.trimEnd();
  if (!trimmed.endsWith('.') || trimmed.length === previous.length) return false;
  const lastWord = /(?:^|[\s(["'“‘])([^\s(["'“‘]+)\.$/u.exec(trimmed)?.[1]?.toLowerCase();
  if (lastWord === undefined) return false;
  if (NEVER_FINAL.has(lastWord)) return true;
  // Initialisms ("U.S", "U.K", "J" in "J. Powell"): letters separated by periods.
  const isInitialism = /^(?:\p{L}\.)*\p{L}$/u.test(lastWord) && lastWord.replace(/\./g, '').length <= 3;
  if (!isInitialism && !MAYBE_FINAL.has(lastWord)) return false;
  const firstWord = /^\s*["'“‘(]?([\p{L}]+)/u.exec(next)?.[1]?.toLowerCase();
  return firstWord !== undefined && !SENTENCE_OPENERS.has(firstWord);
}

/** True when the text holds CJK characters. */
export function hasCjkText(text: string): boolean {
  return CJK_CHAR.test(text);
}
