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
  'the', 'a', 'an', 'of', 'to', 'by', 'and', 'or', 'but', 'nor', 'in', 'on', 'at', 'for', 'with', 'from', 'as',
  'that', 'than', 'when', 'while', 'whereas', 'although', 'because', 'since', 'if', 'unlike', 'including',
  'like', 'via', 'into', 'onto', 'about', 'per', 'is', 'are', 'was', 'were', 'be', 'been', 'its', 'their',
  'his', 'her', 'our', 'your', 'this', 'these', 'those', 'such', 'both', 'between', 'across', 'among',
  'over', 'under', 'after', 'before', 'during', 'toward', 'towards', 'against', 'through', 'within',
  'whose', 'which', 'who', 'where', 'el', 'la', 'los', 'las', 'de', 'del', 'y', 'en', 'por', 'con', 'que',
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

/**
 * A short line without sentence punctuation that could title what follows:
 * "Key Insights", "Risks & Opportunities", "1. The Valuation Gap",
 * "Strategic Outlook: Is the Rally Sustainable?" (a short question).
 */
export function looksLikeHeading(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 100) return false;
  if (!/^[\p{Lu}\p{N}\p{Script=Han}"“'‘¿¡]/u.test(trimmed)) return false;
  if (!/\p{L}/u.test(trimmed) || /\[\d+\]/.test(trimmed)) return false;
  if (HEADING_DISALLOWED_END.test(trimmed) || endsDangling(trimmed)) return false;
  const cjk = trimmed.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (cjk > 30) return false;
  const words = countWords(trimmed);
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
