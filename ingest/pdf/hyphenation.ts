/**
 * Joins the lines of a paragraph, repairing words hyphenated across a line end ("compre-" +
 * "hensive" → "comprehensive"). A compound the document also prints whole on one line
 * ("long-term") keeps its hyphen; so does a hyphen before a digit or capital ("pre-" + "2020").
 */
const WORD_COMPOUND = /\p{L}+(?:-\p{L}+)+/gu;

/** Hyphenated compounds printed within a line anywhere in the document, lowercased. */
export function collectCompounds(lines: Iterable<string>): Set<string> {
  const compounds = new Set<string>();
  for (const line of lines) {
    for (const match of line.matchAll(WORD_COMPOUND)) compounds.add(match[0].toLowerCase());
  }
  return compounds;
}

export function joinLines(lines: readonly string[], compounds: ReadonlySet<string>): string {
  let text = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (text === '') {
      text = line;
      continue;
    }
    // Only the tail can end in a hyphen; matching the whole growing paragraph would be quadratic.
    const broken = /(\p{L}+)-$/u.exec(text.slice(-80));
    if (broken !== null && /^\p{Ll}/u.test(line)) {
      const tail = /^\p{L}+/u.exec(line)?.[0] ?? '';
      const keepHyphen = compounds.has(`${broken[1]}-${tail}`.toLowerCase());
      text = (keepHyphen ? text : text.slice(0, -1)) + line;
    } else if (broken !== null && /^[\p{Lu}\d]/u.test(line) && !/\s/.test(line.slice(0, 1))) {
      text += line;
    } else {
      text += ` ${line}`;
    }
  }
  return text;
}
