/**
 * Tables stored as JSON, in the shapes data exports use: an array of rows (`[["", "2023"], …]`),
 * an array of records (`[{"Segment": "Pumps", "2023": 1204}, …]`, keys as the header row), a
 * `{columns|header|headers, rows|data}` object, our own TableData (`{caption, headerRows, rows}`), or
 * any of these wrapped as `{table: …}` with a caption or title beside it. Pure.
 */
import { z } from 'zod';
import type { TableData } from '../../kb/types.ts';
import { buildTable } from './grid.ts';

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type Scalar = z.infer<typeof ScalarSchema>;

const RowArraySchema = z.array(ScalarSchema);
const RecordSchema = z.record(z.string(), ScalarSchema);
const RowsSchema = z.union([z.array(RowArraySchema).min(1), z.array(RecordSchema).min(1)]);

const ColumnSchema = z.union([
  z.string(),
  z.number(),
  z.object({ name: z.string().optional(), title: z.string().optional(), label: z.string().optional(), header: z.string().optional() }),
]);

const TableObjectSchema = z.object({
  caption: z.string().optional(),
  title: z.string().optional(),
  name: z.string().optional(),
  headerRows: z.number().int().nonnegative().optional(),
  columns: z.array(ColumnSchema).optional(),
  header: z.union([z.array(ColumnSchema), z.array(z.array(ScalarSchema))]).optional(),
  headers: z.array(ColumnSchema).optional(),
  rows: RowsSchema.optional(),
  data: RowsSchema.optional(),
  values: RowsSchema.optional(),
});

/**
 * JavaScript objects list integer-like keys first, in ascending order, whatever the document said:
 * `{"Segment": "Pumps", "2023": 1, "2022": 2}` would come back as 2022, 2023, Segment. Parsing
 * through this marks such keys so they keep their printed order; `restoreKey` removes the mark.
 * Only a key can be a digit string directly followed by a colon (a quote inside a string value
 * is escaped), so no value is touched.
 */
const KEY_MARK = '\ue000';

export function markNumericKeys(json: string): string {
  return json.replace(/(?<!\\)"(\d+)"(\s*:)/g, `"${KEY_MARK}$1"$2`);
}

export function restoreKey(key: string): string {
  return key.startsWith(KEY_MARK) ? key.slice(KEY_MARK.length) : key;
}

function cellText(value: Scalar): string {
  return value === null ? '' : String(value);
}

function columnName(column: z.infer<typeof ColumnSchema>): string {
  if (typeof column === 'string' || typeof column === 'number') return String(column);
  return column.name ?? column.title ?? column.label ?? column.header ?? '';
}

/** Rows of records under the union of their keys, in first-seen order. */
function readRecords(records: readonly Record<string, Scalar>[], columns?: string[]): { header: string[]; rows: string[][] } {
  const keys = columns ?? [...new Set(records.flatMap((record) => Object.keys(record)))];
  return { header: keys.map(restoreKey), rows: records.map((record) => keys.map((key) => cellText(record[key] ?? null))) };
}

function fromRows(
  rows: z.infer<typeof RowsSchema>,
  columns: string[] | undefined,
  caption: string | undefined,
  declared: number | undefined,
): TableData | undefined {
  const withCaption = caption === undefined ? {} : { caption };
  if (Array.isArray(rows[0])) {
    const grid = (rows as Scalar[][]).map((row) => row.map(cellText));
    const all = columns === undefined ? grid : [columns, ...grid];
    return buildTable({ rows: all, declaredHeaderRows: declared ?? (columns === undefined ? 0 : 1), ...withCaption });
  }
  const { header, rows: body } = readRecords(rows as Record<string, Scalar>[], columns);
  return buildTable({ rows: [header, ...body], declaredHeaderRows: declared ?? 1, ...withCaption });
}

/** The table a JSON value holds, or undefined when it is not one of the shapes above. */
export function readJsonTable(value: unknown, caption?: string): TableData | undefined {
  const rows = RowsSchema.safeParse(value);
  if (rows.success) return fromRows(rows.data, undefined, caption, undefined);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const wrapper = value as Record<string, unknown>;
  const label = caption ?? [wrapper.caption, wrapper.title, wrapper.name].find((entry): entry is string => typeof entry === 'string');
  if (wrapper.table !== undefined) return readJsonTable(wrapper.table, label);
  const parsed = TableObjectSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const body = parsed.data.rows ?? parsed.data.data ?? parsed.data.values;
  if (body === undefined) return undefined;
  const header = parsed.data.columns ?? parsed.data.headers ?? parsed.data.header;
  // A header given as several rows (`header: [["", "Fiscal"], ["", "2023"]]`) leads the grid.
  if (header !== undefined && header.length > 0 && Array.isArray(header[0])) {
    const headerRows = (header as Scalar[][]).map((row) => row.map(cellText));
    const table = fromRows(body, undefined, label, undefined);
    if (table === undefined) return undefined;
    return buildTable({ rows: [...headerRows, ...table.rows], declaredHeaderRows: headerRows.length, ...(label === undefined ? {} : { caption: label }) });
  }
  const columns = header === undefined ? undefined : (header as z.infer<typeof ColumnSchema>[]).map(columnName);
  return fromRows(body, columns, label, parsed.data.headerRows);
}

/** True when a whole JSON document is a table rather than articles (no article text fields). */
export function isJsonTableDocument(value: unknown): boolean {
  const articleFields = (entry: unknown): boolean =>
    typeof entry === 'object' && entry !== null && ['text', 'html', 'paragraphs', 'tables'].some((key) => key in (entry as Record<string, unknown>));
  if (Array.isArray(value) ? value.some(articleFields) : articleFields(value)) return false;
  return readJsonTable(value) !== undefined;
}
