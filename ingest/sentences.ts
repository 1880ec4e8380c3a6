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
  ('mr mrs ms dr prof sen rep gov gen lt col sgt st jr sr vs v e.g i.e cf approx no nos fig ' + 'jan feb mar apr jun jul aug sep sept oct nov dec').split(' '),
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
 * exactly (the chunker relies on this to keep passages verbatim). Linear in the length of `text`.
 */
export function splitSentencesRaw(text: string): string[] {
  const sentences: string[][] = [];
  let lastSegment: string | undefined;
  for (const segment of segmentInWindows(segmenterFor(text), text)) {
    const current = sentences.at(-1);
    if (current !== undefined && lastSegment !== undefined && (segment.trim() === '' || shouldJoin(lastSegment, segment))) current.push(segment);
    else sentences.push([segment]);
    lastSegment = segment;
  }
  return sentences.map((parts) => parts.join(''));
}

export const SENTENCE_DEFAULTS = {
  /**
   * Characters handed to ICU at a time. V8's segment iterator slows down quadratically with the
   * length of the string it walks (a 400,000-character paragraph took 27 s), so text is segmented
   * in windows of this size; the last, possibly unfinished sentence of a window starts the next.
   */
  windowChars: 1_500,
  /** A sentence longer than this is cut (a run of text this long with no full stop is not prose). */
  maxWindowChars: 12_000,
};

/**
 * ICU's segments of `text`, computed window by window. A window with no break grows (a long
 * sentence), up to `maxWindowChars`; beyond that it is cut after a clause mark or a space.
 */
export function* segmentInWindows(segmenter: Intl.Segmenter, text: string, settings = SENTENCE_DEFAULTS): Generator<string> {
  let start = 0;
  let size = settings.windowChars;
  while (start < text.length) {
    const end = Math.min(text.length, start + size);
    const segments = Array.from(segmenter.segment(text.slice(start, end)), (entry) => entry.segment);
    if (end === text.length) {
      yield* segments;
      return;
    }
    if (segments.length > 1) {
      const unfinished = segments.pop()!;
      yield* segments;
      start = end - unfinished.length;
      size = settings.windowChars;
    } else if (size < settings.maxWindowChars) {
      size *= 2;
    } else {
      const cut = hardCut(text, start, end);
      yield text.slice(start, cut);
      start = cut;
      size = settings.windowChars;
    }
  }
}

/** Where to cut a run with no sentence break: after its last clause mark, else its last space (in the second half). */
function hardCut(text: string, start: number, end: number): number {
  const middle = start + (end - start) / 2;
  let space = -1;
  for (let index = end - 1; index > middle; index -= 1) {
    if (!/\s/.test(text[index]!)) continue;
    if (/[,;:，；：]/.test(text[index - 1]!)) return index + 1;
    if (space < 0) space = index + 1;
  }
  if (space > 0) return space;
  // Never between the halves of a surrogate pair.
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** Whether `next` continues the sentence whose last ICU segment is `previous` (an abbreviation, not an end). */
function shouldJoin(previous: string, next: string): boolean {
  const trimmed = previous.trimEnd();
  if (!trimmed.endsWith('.') || trimmed.length === previous.length) return false;
  // Only the tail can hold the abbreviation; reading a bounded tail keeps this constant-time.
  const lastWord = /(?:^|[\s(["'“‘])([^\s(["'“‘]+)\.$/u.exec(trimmed.slice(-40))?.[1]?.toLowerCase();
  if (lastWord === undefined) return false;
  if (NEVER_FINAL.has(lastWord)) return true;
  // Initialisms ("U.S", "U.K", "J" in "J. Powell"): letters separated by periods.
  const isInitialism = /^(?:\p{L}\.)*\p{L}$/u.test(lastWord) && lastWord.replace(/\./g, '').length <= 3;
  if (!isInitialism && !MAYBE_FINAL.has(lastWord)) return false;
  const firstWord = /^\s*["'“‘(]?([\p{L}]+)/u.exec(next.slice(0, 80))?.[1]?.toLowerCase();
  return firstWord !== undefined && !SENTENCE_OPENERS.has(firstWord);
}
