/** Topic tags: `#small_cap #russell_2000` lines, keyword lists, front-matter arrays. */

const HASHTAG = /#([\p{L}\p{N}][\p{L}\p{N}_-]*)/gu;
const TAG_LINE = /^(?:#[\p{L}\p{N}][\p{L}\p{N}_-]*[\s,，]*)+$/u;

/** A tag as stored: without '#', trimmed, lower case, inner spaces as underscores. */
export function normalizeTag(raw: string): string {
  return raw.trim().replace(/^#+/, '').trim().toLowerCase().replace(/\s+/g, '_');
}

/** The tags of a line made only of `#tag` tokens, else undefined (a heading "# Title" is not one). */
export function readTagLine(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!TAG_LINE.test(trimmed)) return undefined;
  return [...trimmed.matchAll(HASHTAG)].map((m) => normalizeTag(m[1] ?? ''));
}

/** Split a keywords value ("small caps, Russell 2000; rates") into tags. */
export function splitKeywords(value: string): string[] {
  return value
    .split(/[,;，；]/)
    .map(normalizeTag)
    .filter((tag) => tag.length > 0);
}

/** Concatenate tag lists, normalised and deduplicated, first occurrence wins. */
export function mergeTags(...lists: readonly string[][]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const tag = normalizeTag(raw);
      if (tag.length === 0 || seen.has(tag)) continue;
      seen.add(tag);
      merged.push(tag);
    }
  }
  return merged;
}
