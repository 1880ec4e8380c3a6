/**
 * Characters a reader cannot see but a model reads: Unicode tag characters (U+E0000–U+E007F, which
 * can spell out a hidden "ignore all previous instructions"), bidirectional controls that reorder
 * what is displayed (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), and zero-width spaces
 * and word joiners. Zero-width (non-)joiners stay: emoji sequences and several scripts need them.
 * Source: Unicode TR#36 (security considerations) and TR#9 (the bidirectional algorithm).
 */
const INVISIBLE = /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u2060\uFEFF\u180E]/gu;

export function stripInvisibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}
