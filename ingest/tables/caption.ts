/**
 * Whether a line printed right above a table is its caption: reports title a table with one short
 * line ("Net sales by segment (in millions)", "The components of revenue were as follows:"), while
 * running prose above a table is long. Pure.
 */
export const CAPTION_DEFAULTS = { maxChars: 200 };

export function isCaptionLine(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && trimmed.length <= CAPTION_DEFAULTS.maxChars && !trimmed.includes('\n') && /\p{L}/u.test(trimmed);
}
