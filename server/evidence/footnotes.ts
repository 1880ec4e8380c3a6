import type { TableData } from '../../kb/types.ts';

/**
 * Footnotes that tie a note to a table line (pure). Annual reports mark a row or column title with
 * a note mark ("Service delivery costs(1)", "Recorded investment (a)") and explain it below the
 * table in a paragraph opening with the same mark ("(1) Include cost of equipment sold, …"). The
 * note rarely repeats the line's name, so a question about the line ("What is included in service
 * delivery costs?") finds the note only through its mark.
 */

/** Note marks printed at the end of a title: "(1)", "(a)", "(1)(2)", "(1, 2)". */
const TRAILING_MARKS = /(?:\s*\((?:\d{1,2}|[a-z])(?:\s*,\s*(?:\d{1,2}|[a-z]))*\))+\s*$/i;
/** The mark a note opens with: "(1) Include …", "(a) Represents …". */
const LEADING_MARK = /^\s*\((\d{1,2}|[a-z])\)\s+\S/i;

/** The marks at the end of a title, lower-cased, and the title without them. */
export function readNoteMarks(title: string): { marks: string[]; name: string } {
  const trailing = TRAILING_MARKS.exec(title);
  if (!trailing) return { marks: [], name: title.trim() };
  const marks = [...trailing[0].matchAll(/\d{1,2}|[a-z]/gi)].map((match) => match[0].toLowerCase());
  return { marks, name: title.slice(0, trailing.index).trim() };
}

/** The mark a note sentence opens with, lower-cased, if any. */
export function noteMarkOf(sentence: string): string | undefined {
  return LEADING_MARK.exec(sentence)?.[1]?.toLowerCase();
}

/**
 * The titles each note mark is attached to in a document's tables: row labels (first column) and
 * column titles (header rows). A mark printed on several titles names them all.
 */
export function titlesByNoteMark(tables: TableData[]): Map<string, string[]> {
  const titles = new Map<string, string[]>();
  const add = (text: string) => {
    const { marks, name } = readNoteMarks(text);
    // A mark alone (an empty title) names nothing.
    if (!/[a-z]/i.test(name)) return;
    for (const mark of marks) {
      const known = titles.get(mark) ?? [];
      if (!known.includes(name)) titles.set(mark, [...known, name]);
    }
  };
  for (const table of tables) {
    for (const [rowIndex, row] of table.rows.entries()) {
      if (rowIndex < table.headerRows) for (const cell of row) add(cell);
      else if (row[0] !== undefined) add(row[0]);
    }
  }
  return titles;
}

/**
 * The passages (of the table's document) that hold a note for one of the table's marks: a line, or
 * a sentence, opening with the mark. Passages holding a table are not notes.
 */
export function notesOfTable<T extends { text: string; table?: TableData | undefined }>(table: TableData, passages: T[]): T[] {
  const marks = new Set(titlesByNoteMark([table]).keys());
  if (marks.size === 0) return [];
  const holdsNote = (text: string) =>
    text.split(/\n+|(?<=[.;])\s+(?=\()/).some((line) => {
      const mark = noteMarkOf(line);
      return mark !== undefined && marks.has(mark);
    });
  return passages.filter((passage) => !passage.table && !/\|/.test(passage.text) && holdsNote(passage.text));
}
