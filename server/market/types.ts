import { z } from 'zod';

/** A trading session's date, YYYY-MM-DD (a real calendar date, checked by zod). */
export const SessionDateSchema = z.iso.date();

/**
 * One daily bar. Only `date` and `close` are required: some sources publish closes alone
 * (IJS.csv) or drop a meaningless column (index "volume" in RUT.csv).
 */
export const PriceBarSchema = z.object({
  date: SessionDateSchema,
  open: z.number().positive().optional(),
  high: z.number().positive().optional(),
  low: z.number().positive().optional(),
  close: z.number().positive(),
  volume: z.number().nonnegative().optional(),
});
export type PriceBar = z.infer<typeof PriceBarSchema>;

export const INSTRUMENT_KINDS = ['index', 'etf', 'other'] as const;

/** What a symbol names: the series id used for files and results, and how to read its prices. */
export const InstrumentSchema = z.object({
  /** Canonical id, also the local file name without `.csv`: `RUT`, `GSPC`, `IWM`. */
  id: z.string(),
  /** The symbol Yahoo Finance uses: `^RUT`, `IWM`. */
  yahooSymbol: z.string(),
  name: z.string(),
  kind: z.enum(INSTRUMENT_KINDS),
  /** `points` for index levels, `USD` for fund prices. */
  unit: z.enum(['points', 'USD']),
  /** Plain words on what the prices are: "index level", "raw quoted price (not dividend-adjusted)". */
  basis: z.string(),
});
export type Instrument = z.infer<typeof InstrumentSchema>;

export type SeriesSource = 'local' | 'live';

/** A resolved price history: ascending, one bar per session, with where it came from. */
export interface PriceSeries {
  instrument: Instrument;
  bars: PriceBar[];
  source: SeriesSource;
  /** Where the bars were read: a file path relative to the data dir, or `Yahoo Finance chart()`. */
  origin: string;
  /** Set when something the caller should know happened, e.g. a live fetch failed and local data was used. */
  note?: string;
}

/** Inclusive calendar range a caller needs; either end may be open. */
export interface DateRange {
  from?: string;
  to?: string;
}

/** Anything that turns a user's symbol and a date range into a price history. */
export interface PriceProvider {
  getSeries(symbol: string, range?: DateRange, signal?: AbortSignal): Promise<PriceSeries>;
  /**
   * Reads the known symbols' local files ahead of the first question; resolves to how many were
   * found. `pause` is awaited before each file (the server reads them between requests).
   */
  preload?(pause?: () => Promise<void>): Promise<number>;
}
