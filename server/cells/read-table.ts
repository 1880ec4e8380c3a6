import type { TableData } from '../../kb/types.ts';
import { parseCellValue, readScale } from './parse-value.ts';
import { isMaturityLabel, quarterOrHalf, readPeriod, withoutDates } from './periods.ts';
import type { Cell, CellPeriod } from './types.ts';

/**
 * Interprets a table grid as cells (pure). The first column holds row labels; header rows give
 * column labels (a header cell left empty under a spanning cell takes the span's text, as the
 * printed table reads); a body row with a label and no values is a section row and becomes the
 * parent of the rows under it until a total closes it or another section starts; the caption and
 * header state the scale ("in millions"), which per-share and percentage rows do not take.
 */
export function readTableCells(table: TableData, passageId: string): Cell[] {
  const rows = table.rows.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((row) => row.length));
  // Dot leaders after a label ("Long-term debt . . .") are print layout, not part of its name.
  const grid = rows.map((row) =>
    Array.from({ length: width }, (_, index) => {
      const text = (row[index] ?? '').replace(/\s+/g, ' ').trim();
      return index === 0 ? text.replace(/\s+(?:\.\s*)+$/, '') : text;
    }),
  );
  const headerCount = Math.min(grid.length, table.headerRows > 0 ? table.headerRows : detectHeaderRows(grid));
  const header = fillSpans(grid.slice(0, headerCount));
  let columns = columnLabels(header, width);
  const firstLabel = grid.slice(headerCount, headerCount + 1).map((row) => row[0]!);
  const tableScale = readScale([table.caption ?? '', ...header.flat(), ...firstLabel].join(' | '));
  const tableCurrency = CURRENCY.exec([table.caption ?? '', ...header.flat()].join(' '))?.[0];
  const units = columnUnits(header, columns, {
    scale: readScale([table.caption ?? '', columns[0]!, ...firstLabel].join(' | ')),
    currency: CURRENCY.exec(`${table.caption ?? ''} ${columns[0]}`)?.[0],
  });

  const cells: Cell[] = [];
  // A label in the last header row over units only ("Revenue by country | $M | $M") names the rows under it.
  const headed = header.at(-1);
  const sections: string[] = headed && isGroupHeading(headed) && !readScale(headed[0]!) && !readPeriod(headed[0]!) ? [headed[0]!.replace(/:$/, '')] : [];
  // Header rows printed again inside the body start a new block of columns (a second year's quarters under the first's).
  let repeatedHeader: string[][] = [];
  // Rows of one line item dated by their labels ("Balance at December 31, 2018", "… 2019" in a
  // roll-forward) are one row over periods: they share the first such row's index.
  const datedRows = new Map<string, number>();
  const columnsDated = columns.slice(1).some((column) => readPeriod(column) !== undefined);
  let previousWasSection = false;
  const yearColumns = columnsOfYears(grid.slice(headerCount), width);
  const movements = columnsDated ? new Map<number, Movement>() : movementSpans(grid, headerCount);
  let amountAbove: { label: string; index: number } | undefined;
  for (let printedIndex = headerCount; printedIndex < grid.length; printedIndex++) {
    const row = grid[printedIndex]!;
    if (isRepeatedHeader(row)) {
      repeatedHeader.push(row);
      continue;
    }
    if (repeatedHeader.length > 0) {
      columns = columnLabels(fillSpans(repeatedHeader), width);
      repeatedHeader = [];
      sections.length = 0;
      previousWasSection = false;
    }
    // A row of figures with no label after labelled rows is the total printed under them (filings
    // often leave the caption off the total line): the total of the section it closes, or of the table.
    const unlabelledTotal = row[0] === '' && printedIndex - headerCount >= 2 && row.slice(1).some((value) => parseCellValue(value) !== undefined);
    const label = unlabelledTotal ? (sections.length > 0 ? `Total ${sections.at(-1)!.toLowerCase()}` : 'Total') : row[0]!;
    const stem = columnsDated || !readPeriod(label) ? '' : withoutPeriod(label);
    const undated = stem ? `${sections.join(' › ')}#${stem}` : undefined;
    const movement = movements.get(printedIndex);
    // A movement row ("Granted") of every span of a roll-forward is one row over those spans.
    // A line printed again under each dated section ("As at 31 December 2019", then "… 2018") of a
    // table whose columns name no year is one row over those dates, as a table dated by its columns reads.
    const undatedSections = sections.filter((section) => !isDateHeading(section));
    const sectionDated = !columnsDated && !stem && !movement && label !== '' && undatedSections.length < sections.length && !isGroupHeading(row);
    const repeated =
      undated ??
      (movement ? `${sections.join(' › ')}#movement#${label.toLowerCase()}` : undefined) ??
      (sectionDated ? `${undatedSections.join(' › ')}#dated-section#${label.toLowerCase()}` : undefined);
    const rowIndex = repeated ? (datedRows.get(repeated) ?? printedIndex) : printedIndex;
    if (repeated && !datedRows.has(repeated)) datedRows.set(repeated, printedIndex);
    if (label && isGroupHeading(row)) {
      // A heading naming only a date ("June 30, 2019") starts a new block of the table; any other
      // heading replaces its sibling section, but stays under the date heading that dates them both
      // ("June 30, 2019" over "Finite-lived" and then "Indefinite-lived").
      if (isDateHeading(label)) sections.length = 0;
      else if (!previousWasSection && sections.length > 0 && !isDateHeading(sections.at(-1)!)) sections.pop();
      sections.push(label.replace(/:$/, ''));
      previousWasSection = true;
      continue;
    }
    previousWasSection = false;
    // Per-share, percentage, ratio and count rows, and rows stating their own unit ("(cents)"), are not in the table's scale.
    const rowScale =
      /\bper (?:share|unit)|%|\bpercent|\bratio\b|\bmargin\b|\bnumber of\b|\bheadcount\b|\bemployees\b|\((?:cents|pence|x|times|days|number|no\.)\)/i.test(
        label,
      )
        ? undefined
        : 'scale';
    const rowHasFigure = row.slice(1).some((value) => parseCellValue(value) !== undefined);
    // "Percentage of revenue" printed under "Product" is the product's share: the row above names it.
    const sharedOf = SHARE_OF_ROW_ABOVE.test(label) && amountAbove?.index === printedIndex - 1 ? amountAbove.label : undefined;
    if (rowHasFigure && !SHARE_OF_ROW_ABOVE.test(label)) amountAbove = { label, index: printedIndex };
    for (let columnIndex = 1; columnIndex < width; columnIndex++) {
      const text = row[columnIndex]!;
      if (text === '' && columns[columnIndex] === '') continue;
      // A column of years ("Last Fiscal Year of Expiration": 2027, 2039) dates its rows; it holds no amounts.
      const parsed = yearColumns.has(columnIndex)
        ? undefined
        : (parseCellValue(text) ?? (rowHasFigure && NIL.test(text) ? { value: 0, ...currencyOf(text) } : undefined));
      const column = columns[columnIndex]!;
      const percent = parsed?.unit === '%' || /%|\bpercent/i.test(column) || /%/.test(label);
      const scale = percent || !rowScale ? undefined : units ? units.scale[columnIndex] : tableScale;
      // A section row naming a date ("As at 31 December 2019") dates the rows under it; a row naming
      // a day of the year ("At 1 January") dates its cells on that day of the column's year.
      // A date over the label column ("30 June 2019 | Current | 31 to 60 days") dates every column the table leaves undated.
      // A column titled by its quarter alone ("Q1", "First Quarter") is that quarter of the year its row or section names.
      const period = withQuarterOf(
        column,
        withDayOf(label, readPeriod(column)) ?? readPeriod(label) ?? movement?.period ?? sectionPeriod(sections) ?? readPeriod(columns[0]!),
      );
      const unit = percent ? '%' : (parsed?.unit ?? (units ? units.currency[columnIndex] : tableCurrency));
      cells.push({
        passageId,
        rowIndex,
        columnIndex,
        label,
        path: sharedOf ? [...sections, sharedOf] : [...sections],
        column,
        ...(period ? { period } : {}),
        text,
        ...(parsed ? { value: parsed.value } : {}),
        ...(unit ? { unit } : {}),
        scale: scale?.factor ?? 1,
        ...(scale ? { scaleWord: scale.word } : {}),
        ...(movement ? { context: movement.balance } : {}),
      });
    }
    // A total closes the section it sums.
    if (/^total\b/i.test(label) && sections.length > 0 && !isDateHeading(sections.at(-1)!)) sections.pop();
  }
  return isTransposed(grid.slice(headerCount), columns) ? transpose(cells) : cells;
}

interface Movement {
  period: CellPeriod;
  /** What the balances count, without their dates ("Nonvested"): what the movement rows move. */
  balance: string;
}

/**
 * A roll-forward printed down the rows of a table whose columns name no period ("Nonvested at
 * January 1, 2018 | Granted | Vested | Nonvested at December 30, 2018 | Granted | …"): the rows
 * between two balances of one line item are the movements of that span. Each takes the span as its
 * period (dated to the closing balance, starting at the opening one) and the balance's words as the
 * context that names it ("Granted" under "Nonvested" balances is nonvested shares granted).
 */
function movementSpans(grid: string[][], headerCount: number): Map<number, Movement> {
  const balances: { index: number; stem: string; period: CellPeriod }[] = [];
  for (let index = headerCount; index < grid.length; index++) {
    const label = grid[index]![0]!;
    // Most labels name no year at all: skip reading them as dates.
    const period = /(?:19|20)\d{2}/.test(label) ? readPeriod(label) : undefined;
    const stem = period ? withoutPeriod(label) : '';
    if (period && stem && grid[index]!.slice(1).some((value) => parseCellValue(value) !== undefined)) balances.push({ index, stem, period });
  }
  const spans = new Map<number, Movement>();
  for (const [position, opening] of balances.entries()) {
    const closing = balances.slice(position + 1).find((balance) => balance.stem === opening.stem);
    // Only the next balance of the same item closes the span, with no other balance printed between.
    if (!closing || balances[position + 1] !== closing) continue;
    const period = spanPeriod(opening.period, closing.period);
    if (!period) continue;
    const balance = withoutDates(grid[opening.index]![0]!)
      .replace(/\b(?:balances?|as|at|of|on|end|beginning)\b|[,:]/gi, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    for (let index = opening.index + 1; index < closing.index; index++) {
      const row = grid[index]!;
      if (row[0] && !isGroupHeading(row)) spans.set(index, { period, balance });
    }
  }
  return spans;
}

/**
 * The span between two balances, named by the fiscal year it closes: a 52/53-week year closing in
 * the first days of January ("January 1, 2018") is the year before, as such reports name it.
 */
function spanPeriod(opening: CellPeriod, closing: CellPeriod): CellPeriod | undefined {
  if (closing.year === undefined || (opening.year !== undefined && opening.year > closing.year)) return undefined;
  const earlyJanuary = closing.end !== undefined && /-01-0[1-7]$/.test(closing.end);
  const year = earlyJanuary ? closing.year - 1 : closing.year;
  const label = `${opening.label} to ${closing.label}`;
  return { label, year, ...(closing.end ? { end: closing.end } : {}), ...(opening.end ? { start: opening.end } : {}) };
}

const CURRENCY = /US\$|HK\$|A\$|[$€£¥]/;

/**
 * Columns that state their own unit: "Number of shares (in thousands)" beside "Weighted average
 * price", "NUMBER M" beside "$M". When some value columns' titles state a scale or currency that
 * others leave out, each column keeps its own (or the one the caption and the label column state),
 * instead of the whole header's applying to every column. Undefined when the columns agree.
 */
function columnUnits(
  header: string[][],
  columns: string[],
  table: { scale: ReturnType<typeof readScale>; currency: string | undefined },
): { scale: ReturnType<typeof readScale>[]; currency: (string | undefined)[] } | undefined {
  const titled = columns.map((column, index) => index > 0 && column !== '');
  // A unit ending a column's header cell ("M" under "NUMBER", "Number M") states its scale, though a bare "m" elsewhere would not.
  const scale = columns.map((column, index) => readScale(column) ?? bareScale(header.map((row) => row[index] ?? '')));
  const currency = columns.map((column) => CURRENCY.exec(column)?.[0]);
  const differs = (stated: unknown[]) => {
    const values = stated.filter((_, index) => titled[index]);
    return values.some((value) => value !== undefined) && values.some((value) => value === undefined);
  };
  if (!differs(scale) && !differs(currency)) return undefined;
  return {
    scale: differs(scale) ? scale.map((own) => own ?? table.scale) : scale.map(() => readScale(columns.join(' | ')) ?? table.scale),
    currency: differs(currency)
      ? currency.map((own) => own ?? table.currency)
      : currency.map((own) => own ?? CURRENCY.exec(columns.join(' '))?.[0] ?? table.currency),
  };
}

function bareScale(cells: string[]): ReturnType<typeof readScale> {
  for (const cell of cells) {
    const match = /(?:^|\s)\(?(m|mn|bn|k|'000|000s)\)?$/i.exec(cell.trim());
    if (match) return readScale(`$${match[1]}`);
  }
  return undefined;
}

/**
 * A dash where a figure would be ("—", "- -", "$ –"): statements print nil that way, so in a row of
 * figures it reads as zero ("0 − (42,271)" for a loss that did not recur). "n/a" and blanks stay empty.
 */
const NIL = /^(?:US\$|[$€£¥])?\s*[-–—−](?:\s*[-–—−])*\s*%?$/;

function currencyOf(text: string): { unit?: string } {
  const sign = /^(?:US\$|[$€£¥])/.exec(text)?.[0];
  return sign ? { unit: sign } : text.includes('%') ? { unit: '%' } : {};
}

/**
 * A row that states the row above as a share of something: "Percentage of revenue", "% of net
 * sales", "As a % of total". An investor's "Share of profit of associates" (of its results, losses,
 * net assets) is the equity method's amount, not a percentage.
 */
const SHARE_OF_ROW_ABOVE =
  /^(?:as an?\s+)?(?:%|percent(?:age)?|proportion|share(?!\s+of\s+(?:the\s+)?(?:(?:post|pre)-tax\s+)?\(?(?:profits?|loss(?:es)?|results?|income|earnings|net assets)\b))\s+of\s+(?:total\s+|net\s+)?[a-z]/i;

/** A heading that names a date and nothing else ("June 30, 2019", "As at 31 December 2018"). */
function isDateHeading(label: string): boolean {
  return readPeriod(label) !== undefined && !/[a-z]{2,}/i.test(withoutDates(label).replace(/\b(?:as|at|of|on|year|ended|ending)\b/gi, ''));
}

/** Value columns whose every figure is a bare year ("2027", "2039 or indefinite"), at least two of them. */
function columnsOfYears(body: string[][], width: number): Set<number> {
  const years = new Set<number>();
  for (let column = 1; column < width; column++) {
    const printed = body.map((row) => row[column]!).filter((text) => text !== '' && !NIL.test(text) && !/^n\/?a$/i.test(text));
    const bare = printed.filter((text) => /^(?:19[5-9]\d|20\d{2})\b/.test(text) && parseCellValue(text.slice(0, 4)) !== undefined && !/[$€£¥%,.]/.test(text));
    if (bare.length >= 2 && bare.length === printed.length) years.add(column);
  }
  return years;
}

/** The column labels: each column's header texts, top to bottom, without repeats. */
function columnLabels(header: string[][], width: number): string[] {
  return Array.from({ length: width }, (_, column) => dedupe(header.map((row) => row[column]!)).join(' '));
}

/** A currency, scale or unit standing alone where figures would be ("$M", "RMB'Million", "£'000", "%"). */
const UNIT_ONLY = /^\(?(?:US\$|HK\$|A\$|RMB|USD|EUR|GBP|[$€£¥])?\s*['’]?\s*(?:000s?|m|mn|bn|k|millions?|thousands?|billions?)?\s*%?\)?$/i;

/** A labelled row with no figures, only blanks or units: it heads the rows under it. */
function isGroupHeading(row: string[]): boolean {
  return row[0] !== '' && row.slice(1).every((value) => value === '' || UNIT_ONLY.test(value));
}

/**
 * An unlabelled body row of column titles (years, dates, "12 Weeks Ended") and no figures: a table
 * that prints a second block of columns repeats its header rows inside the body.
 */
function isRepeatedHeader(row: string[]): boolean {
  const values = row.slice(1).filter((value) => value !== '');
  return (
    row[0] === '' &&
    values.length > 0 &&
    values.every((value) => /^(?:19[5-9]\d|20\d{2})$/.test(value) || (parseCellValue(value) === undefined && /[a-z]/i.test(value) && !UNIT_ONLY.test(value)))
  );
}

const DAY_OF_YEAR =
  /\b(?:(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}))\b(?!,?\s*\d{4})/i;

/** A label naming a day of the year without its year ("At 1 January", "Balance at December 31"). */
export function namesDayOfYear(label: string): boolean {
  return DAY_OF_YEAR.test(label);
}

/** A column's year dated by the day its row names ("At 1 January" under "2019" → 2019-01-01). */
function withDayOf(label: string, period: CellPeriod | undefined): CellPeriod | undefined {
  if (!period || period.year === undefined || period.end || period.quarter || period.half) return period;
  const match = DAY_OF_YEAR.exec(label);
  if (!match) return period;
  const month = MONTHS.indexOf((match[2] ?? match[3]!).toLowerCase()) + 1;
  const day = Number(match[1] ?? match[4]);
  if (day < 1 || day > 31) return period;
  return { ...period, end: `${period.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** A year dated from a row or section, narrowed to the quarter (or half) its column's title names without a year. */
function withQuarterOf(column: string, period: CellPeriod | undefined): CellPeriod | undefined {
  if (!period || period.year === undefined || period.quarter || period.half || period.end || period.due || period.through) return period;
  const part = quarterOrHalf(column);
  return part ? { ...period, label: `${column} ${period.label}`.trim(), ...part } : period;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A label without the date or year it names: "Balance at December 31, 2019" → "balance at". */
function withoutPeriod(label: string): string {
  return withoutDates(label)
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

function sectionPeriod(sections: string[]) {
  for (let index = sections.length - 1; index >= 0; index--) {
    const period = readPeriod(sections[index]!);
    if (period) return period;
  }
  return undefined;
}

/**
 * A table printed with its periods down the first column and its line items across ("2021 |
 * Operating leases | Finance leases", as maturity schedules are): most body rows are labelled by a
 * period and no column is.
 */
function isTransposed(body: string[][], columns: string[]): boolean {
  const labelled = body.filter((row) => row.slice(1).some((value) => value !== ''));
  // Labels that are only a period ("2021", "FY2022"), not a dated line ("Balance at December 31, 2019").
  const periodRows = labelled.filter((row) => (readPeriod(row[0]!) !== undefined && withoutPeriod(row[0]!) === '') || isMaturityLabel(row[0]!)).length;
  return periodRows >= 2 && periodRows * 2 >= labelled.length && columns.slice(1).every((column) => readPeriod(column) === undefined);
}

/** Swaps rows and columns so each line item is a row whose cells are its periods. */
function transpose(cells: Cell[]): Cell[] {
  return cells.map((cell) => ({
    ...cell,
    rowIndex: 10_000 + cell.columnIndex,
    columnIndex: cell.rowIndex,
    label: cell.column,
    path: [],
    column: cell.label,
  }));
}

/**
 * Header rows when the parser did not mark them: the leading rows before the first row that
 * carries a number other than a year in its value columns.
 */
export function detectHeaderRows(grid: string[][]): number {
  for (let index = 0; index < grid.length; index++) {
    const values = grid[index]!.slice(1);
    const numeric = values.some((value) => {
      const parsed = parseCellValue(value);
      return parsed !== undefined && !(parsed.unit === undefined && /^(?:19[5-9]\d|20\d{2})$/.test(value.trim()));
    });
    if (numeric) return index;
  }
  return Math.min(1, grid.length);
}

/**
 * In every header row but the last, an empty cell right of a filled one continues that cell's span,
 * unless the text breaks off mid-phrase ("Balance at Beginning of" over "Period"): that is one
 * column's title wrapped over two lines, not a span. A title the row prints more than once
 * ("Number" under each year, beside an untitled "$M" column) belongs to its own column only.
 */
function fillSpans(header: string[][]): string[][] {
  return header.map((row, rowIndex) => {
    if (rowIndex === header.length - 1) return row;
    const filled = [...row];
    const printed = new Map<string, number>();
    for (const text of row.slice(1)) if (text !== '') printed.set(text, (printed.get(text) ?? 0) + 1);
    for (let column = 2; column < filled.length; column++) {
      const left = filled[column - 1]!;
      const continues = left !== '' && (printed.get(left) ?? 0) < 2 && !/\b(?:of|at|for|in|on|to|the|and|or|from|by|with)$/i.test(left);
      if (filled[column] === '' && continues) filled[column] = left;
    }
    return filled;
  });
}

function dedupe(parts: string[]): string[] {
  const kept: string[] = [];
  for (const part of parts) if (part && !kept.includes(part)) kept.push(part);
  return kept;
}
