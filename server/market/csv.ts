import { AppError } from '../../lib/errors.ts';
import { PriceBarSchema, type PriceBar } from './types.ts';

const KNOWN_COLUMNS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
type Column = (typeof KNOWN_COLUMNS)[number];

/**
 * Parses a daily OHLCV file: a header naming `date` and `close` (any of `open,high,low,volume`
 * may be absent; unknown columns are ignored), then one row per session in strictly ascending
 * date order. An empty cell means "not published". Any malformed row is an error naming its line,
 * because a silently skipped session would shift every window computed over the file.
 */
export function parsePriceCsv(text: string, label = 'price file'): PriceBar[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0]?.trim() ?? '';
  if (headerLine === '') throw new AppError('bad_request', `${label}: empty file, expected a header like date,open,high,low,close,volume.`);
  const header = headerLine.split(',').map((cell) => cell.trim().toLowerCase());
  const positions = new Map<Column, number>();
  for (const column of KNOWN_COLUMNS) {
    const position = header.indexOf(column);
    if (position >= 0) positions.set(column, position);
  }
  for (const required of ['date', 'close'] as const) {
    if (!positions.has(required)) {
      throw new AppError('bad_request', `${label}: the header "${headerLine}" has no "${required}" column.`);
    }
  }

  const bars: PriceBar[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const lineNumber = index + 1;
    const cells = line.split(',').map((cell) => cell.trim());
    const row: Record<string, unknown> = {};
    for (const [column, position] of positions) {
      const cell = cells[position] ?? '';
      if (cell === '') continue;
      if (column === 'date') {
        row.date = cell;
        continue;
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new AppError('bad_request', `${label} line ${lineNumber}: ${column} "${cell}" is not a number.`);
      }
      row[column] = value;
    }
    const parsed = PriceBarSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'row';
      throw new AppError('bad_request', `${label} line ${lineNumber}: ${field}: ${issue.message} (row "${line}").`);
    }
    const previous = bars[bars.length - 1];
    if (previous && parsed.data.date <= previous.date) {
      throw new AppError(
        'bad_request',
        `${label} line ${lineNumber}: date ${parsed.data.date} does not come after ${previous.date}; rows must be in strictly ascending date order.`,
      );
    }
    bars.push(parsed.data);
  }
  if (bars.length === 0) throw new AppError('bad_request', `${label}: no price rows after the header.`);
  return bars;
}
