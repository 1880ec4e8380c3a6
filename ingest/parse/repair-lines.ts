/**
 * Plain-text line repair. Pages copied as text break bold phrases and removed links onto their own
 * lines mid-sentence:
 *
 *   The                                   →  The tax-loss selling reversal represents a
 *   tax-loss selling reversal                 significant driver, …
 *   represents a significant driver, …
 *
 *   Seasonal Characteristics              →  Seasonal Characteristics: The current rally …
 *   : The current rally …
 *
 * Fragments are joined back into one line; a line that ends a sentence is never joined to the
 * next, so real headings and paragraphs stay apart. Then each line gets its role.
 */
import type { Block } from './blocks.ts';

/** Words a sentence cannot end on: a line ending with one continues on the next line. */
const DANGLING_WORDS = new Set([
  'the',
  'a',
  'an',
  'of',
  'to',
  'by',
  'and',
  'or',
  'but',
  'nor',
  'in',
  'on',
  'at',
  'for',
  'with',
  'from',
  'as',
  'that',
  'than',
  'when',
  'while',
  'whereas',
  'although',
  'because',
  'since',
  'if',
  'unlike',
  'including',
  'like',
  'via',
  'into',
  'onto',
  'about',
  'per',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'its',
  'their',
  'his',
  'her',
  'our',
  'your',
  'this',
  'these',
  'those',
  'such',
  'both',
  'between',
  'across',
  'among',
  'over',
  'under',
  'after',
  'before',
  'during',
  'toward',
  'towards',
  'against',
  'through',
  'within',
  'whose',
  'which',
  'who',
  'where',
  'el',
  'la',
  'los',
  'las',
  'de',
  'del',
  'y',
  'en',
  'por',
  'con',
  'que',
]);

const TERMINAL_PUNCTUATION = /[.!?…。！？」』"”’)\]]$/u;
const CONTINUATION_START = /^[,.;:!?)\]}%…，。；：、）」』]/u;
const OPENING_END = /[,(“‘—–]$/u;

/**
 * The line's last word when it is a function word left dangling: lower case mid-sentence, or the
 * whole line ("The", "When") when a bold phrase was cut out right after a sentence's first word.
 * "M&A" or "Plan A" do not dangle.
 */
function endsDangling(text: string): boolean {
  const token = /(\S+)$/u.exec(text)?.[1] ?? '';
  if (!/^\p{L}+$/u.test(token)) return false;
  const lower = token.toLowerCase();
  if (!DANGLING_WORDS.has(lower)) return false;
  return token === lower || token === text.trim();
}

function startsLowercase(text: string): boolean {
  return /^\p{Ll}/u.test(text);
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** How `next` attaches to `previous`: glued (no space), spaced, or not at all. */
function joinMode(previous: Block, next: Block): 'glue' | 'space' | undefined {
  if (next.bullet || previous.kind !== 'line' || next.kind !== 'line') return undefined;
  const before = previous.text;
  const after = next.text;
  if (CONTINUATION_START.test(after)) return 'glue';
  if (OPENING_END.test(before) || endsDangling(before)) return 'space';
  const continues = startsLowercase(after) || after.startsWith('(');
  if (continues && !TERMINAL_PUNCTUATION.test(before) && !before.endsWith(':')) return 'space';
  // "Valuation and Quality Risk:" on its own line, the explanation on the next.
  if (before.endsWith(':') && countWords(before) <= 8 && before.length <= 60 && after.length >= 60) return 'space';
  return undefined;
}

/** Join the fragments of broken sentences. Only `line` blocks are joined. */
export function joinBrokenLines(blocks: readonly Block[]): Block[] {
  const joined: Block[] = [];
  for (const block of blocks) {
    const previous = joined.at(-1);
    const mode = previous === undefined ? undefined : joinMode(previous, block);
    if (previous === undefined || mode === undefined) {
      joined.push({ ...block });
      continue;
    }
    previous.text = mode === 'glue' ? previous.text + block.text : `${previous.text} ${block.text}`;
  }
  return joined;
}

const HEADING_DISALLOWED_END = /[.,;:!…。，；：、！]$/u;

export const HEADING_DEFAULTS = { maxSentenceCaseWords: 4 };

/** "1.", "2.3", "IV." before a heading's words. */
const ENUMERATION = /^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXLC]{1,6}\.)\s+/u;
/** A printed figure: currency, decimals, thousands separators, percentages, parenthesised negatives. */
const FIGURE = /[$€£¥]\s?\d|\d\.\d|\d{1,3}(?:,\d{3})+|\d\s?%|\(\d[\d,.]*\)/u;
/** Years and period names are words of a heading ("Outlook for 2026", "Q2 2024 Highlights"), not figures. */
const PERIOD_TOKEN = /\b(?:(?:19|20)\d{2}|FY\s?'?\d{2,4}|[QH][1-4]|[1-4][QH])\b/gu;
/** Structural labels that title a part of a document: "Part II: Other Information", "Item 7: …". */
const STRUCTURAL_KEY = /^(?:part|item|section|chapter|note|appendix|schedule|exhibit|annex|article)\s+[\p{L}\p{N}.]{1,6}$/iu;

/** A line that states figures: "Revenue 1,234", "Net margin 12.5%", "Shares 120 118". */
function bearsFigures(text: string): boolean {
  const rest = text.replace(ENUMERATION, '').replace(PERIOD_TOKEN, ' ');
  return FIGURE.test(rest) || (rest.match(/\d+/gu)?.length ?? 0) >= 2;
}

/**
 * "Company: General Mills", "Fiscal year: 2023", "Rating: Buy": a field and its value, which is
 * text of the document, not a title over it. A title with a subtitle names its topic in Title Case
 * ("The Great Divide: Small-Caps vs. The S&P 500") or asks a question; a field is one word or
 * sentence case ("Fiscal year", "Price target") or holds figures.
 */
export function isKeyValueLine(text: string): boolean {
  const match = /^([^:：]{1,40})[:：]\s*(\S.*)$/u.exec(text.trim());
  if (match === null) return false;
  const key = (match[1] ?? '').trim();
  const value = (match[2] ?? '').trim();
  if (STRUCTURAL_KEY.test(key) || /[?？]$/u.test(value)) return false;
  const keyWords = key.split(/\s+/u);
  if (keyWords.length > 4) return false;
  const titleCaseKey = keyWords.length > 1 && keyWords.slice(1).every((word) => word.length <= 3 || /^[\p{Lu}\p{N}&]/u.test(word));
  return !titleCaseKey || bearsFigures(value);
}

/** Most words of four letters or more (after the first) capitalised; scripts without case pass. */
function isTitleCase(text: string): boolean {
  const words = text
    .replace(ENUMERATION, '')
    .split(/\s+/u)
    .slice(1)
    .filter((word) => /^[("“'‘]?\p{L}{4,}/u.test(word));
  const cased = words.filter((word) => /\p{Lu}|\p{Ll}/u.test(word));
  if (cased.length === 0) return true;
  const capitalised = cased.filter((word) => /^[("“'‘]?\p{Lu}/u.test(word)).length;
  return capitalised * 2 >= cased.length;
}

/**
 * A short line that could title what follows: no sentence punctuation, no figures, not a
 * "Key: value" field, in Title Case unless very short (scripts without case excepted): "Key Insights",
 * "Risks & Opportunities", "1. The Valuation Gap", "Strategic Outlook: Is the Rally Sustainable?"
 * (a short question).
 */
export function looksLikeHeading(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 100) return false;
  if (!/^[\p{Lu}\p{N}\p{Script=Han}"“'‘¿¡]/u.test(trimmed)) return false;
  if (!/\p{L}/u.test(trimmed) || /\[\d+\]/.test(trimmed)) return false;
  if (HEADING_DISALLOWED_END.test(trimmed) || endsDangling(trimmed)) return false;
  if (isKeyValueLine(trimmed) || bearsFigures(trimmed)) return false;
  const cjk = trimmed.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (cjk > 30) return false;
  const words = countWords(trimmed);
  // "Market recap" is a heading in sentence case; a longer line must be in Title Case to be one.
  if (words > HEADING_DEFAULTS.maxSentenceCaseWords && !isTitleCase(trimmed)) return false;
  if (words > 14) return false;
  if (/[?？]$/u.test(trimmed)) return words <= 9 && !/^[QAPR]\s*[:：]/u.test(trimmed);
  return true;
}

/** Give each `line` block its role; a heading needs something after it to head. */
export function assignLineRoles(blocks: readonly Block[]): Block[] {
  return blocks.map((block, index) => {
    if (block.kind !== 'line') return block;
    const isLast = index === blocks.length - 1;
    const heading = !block.bullet && !isLast && looksLikeHeading(block.text);
    return { ...block, kind: heading ? 'heading' : 'paragraph' };
  });
}
