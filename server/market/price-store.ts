import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../lib/errors.ts';
import { parsePriceCsv } from './csv.ts';
import { addDays, isWithinData } from './sessions.ts';
import { describeKnownSymbols, knownInstruments, resolveSymbol } from './symbols.ts';
import type { DateRange, Instrument, PriceBar, PriceProvider, PriceSeries } from './types.ts';

/** Fetches daily bars for an instrument over an inclusive date range; see yahoo-provider.ts. */
export interface LiveProvider {
  readonly name: string;
  fetchBars(instrument: Instrument, range: { from: string; to: string }, signal?: AbortSignal): Promise<PriceBar[]>;
}

export interface LocalSeries {
  bars: PriceBar[];
  /** Path relative to the data dir, e.g. `prices/RUT.csv`. */
  origin: string;
}

export interface LocalPriceSource {
  load(instrument: Instrument): Promise<LocalSeries | undefined>;
}

export const PRICE_STORE_DEFAULTS = {
  /** "Latest" asks go live when the local file's last session is older than this many days. */
  staleAfterDays: 4,
  /** How far back a live fetch reaches when the caller gave no start date. */
  defaultLookbackDays: 400,
};

type ReadText = (filePath: string) => Promise<string>;

/**
 * Reads `${pricesDir}/${id}.csv` once per instrument and keeps the parsed bars. A missing file is
 * `undefined` (the store may go live); a malformed one is a server fault naming the file and line.
 */
export function createLocalPriceSource(options: { pricesDir: string; readText?: ReadText }): LocalPriceSource {
  const readText: ReadText = options.readText ?? ((filePath) => readFile(filePath, 'utf8'));
  const memo = new Map<string, Promise<LocalSeries | undefined>>();

  async function loadFile(instrument: Instrument): Promise<LocalSeries | undefined> {
    const fileName = `${instrument.id}.csv`;
    const origin = `prices/${fileName}`;
    let text: string;
    try {
      text = await readText(path.join(options.pricesDir, fileName));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AppError('internal', `Could not read ${origin}.`, { cause: error });
    }
    try {
      return { bars: parsePriceCsv(text, origin), origin };
    } catch (error) {
      throw new AppError('internal', `The price file ${origin} is invalid: ${(error as Error).message}`, { cause: error });
    }
  }

  return {
    load(instrument) {
      let pending = memo.get(instrument.id);
      if (!pending) {
        pending = loadFile(instrument);
        // A failed read is not remembered, so fixing the file fixes the next call.
        pending.catch(() => memo.delete(instrument.id));
        memo.set(instrument.id, pending);
      }
      return pending;
    },
  };
}

/**
 * Several price folders as one: the first that has a symbol's file wins, so the data dir's own
 * files override the bundled ones and add symbols the install lacks.
 */
export function createLayeredPriceSource(sources: LocalPriceSource[]): LocalPriceSource {
  return {
    async load(instrument) {
      for (const source of sources) {
        const series = await source.load(instrument);
        if (series) return series;
      }
      return undefined;
    },
  };
}

export interface PriceStoreOptions {
  /** `COPILOT_DATA_DIR`; price files live in `${dataDir}/prices/`. */
  dataDir: string;
  /** Price folders searched in order (config.pricesDirs); `${dataDir}/prices` when absent. */
  pricesDirs?: string[];
  live?: LiveProvider;
  /** The clock, to tell whether local data is stale for "latest" requests. */
  now?: () => Date;
  local?: LocalPriceSource;
}

/**
 * Local files first; the live provider only when the symbol has no local file, the requested
 * dates fall outside it, or a "latest" request finds the file stale. When live data fails and a
 * local file exists, the local series is returned with a `note` that says so.
 */
export function createPriceStore(options: PriceStoreOptions): PriceProvider {
  const local =
    options.local ??
    createLayeredPriceSource((options.pricesDirs ?? [path.join(options.dataDir, 'prices')]).map((pricesDir) => createLocalPriceSource({ pricesDir })));
  const now = options.now ?? (() => new Date());

  return {
    // A file is parsed on the event loop (a zod check per row: 10–32 ms for 2,171 rows in a fresh
    // process), which fell on the first question about each symbol; the server reads them first in
    // its warm-up. A file that fails here fails the same way when asked for, where the error is shown.
    async preload(pause) {
      let found = 0;
      for (const instrument of knownInstruments()) {
        await pause?.();
        const series = await local.load(instrument).catch(() => undefined);
        if (series) found += 1;
      }
      return found;
    },
    async getSeries(symbol, range = {}, signal) {
      const instrument = resolveSymbol(symbol);
      const localSeries = await local.load(instrument);
      const today = now().toISOString().slice(0, 10);
      const fromLocal = (note?: string): PriceSeries => ({
        instrument,
        bars: localSeries!.bars,
        source: 'local',
        origin: localSeries!.origin,
        ...(note ? { note } : {}),
      });

      if (localSeries && (!options.live || coversRange(localSeries.bars, range, today))) return fromLocal();
      if (!options.live) {
        throw new AppError(
          'bad_request',
          `No price data for "${symbol.trim()}" (no file prices/${instrument.id}.csv, and live data is off). Available: ${describeKnownSymbols()}.`,
        );
      }

      const liveRange = {
        to: range.to && range.to < today ? range.to : today,
        from: range.from ?? addDays(range.to ?? today, -PRICE_STORE_DEFAULTS.defaultLookbackDays),
      };
      try {
        const bars = await options.live.fetchBars(instrument, liveRange, signal);
        if (bars.length === 0) throw new AppError('not_found', `${options.live.name} has no daily data for ${instrument.yahooSymbol}.`);
        return {
          instrument: { ...instrument, basis: liveBasis(instrument) },
          bars,
          source: 'live',
          origin: options.live.name,
          ...(localSeries ? { note: `The local file ${localSeries.origin} does not cover the request; used live data.` } : {}),
        };
      } catch (error) {
        if (signal?.aborted) throw error;
        const reason = isAppError(error) ? error.message : 'the live request failed';
        if (localSeries) {
          const { bars } = localSeries;
          return fromLocal(
            `Live data unavailable (${reason}); used the local file ${localSeries.origin} (${bars[0]!.date} to ${bars[bars.length - 1]!.date}).`,
          );
        }
        if (isAppError(error) && error.code === 'not_found') {
          throw new AppError('bad_request', `Unknown symbol "${symbol.trim()}": ${reason} Known local series: ${describeKnownSymbols()}.`);
        }
        throw new AppError('upstream_unavailable', `No local data for ${instrument.id} and live prices are unavailable: ${reason}`, { cause: error });
      }
    },
  };
}

function coversRange(bars: PriceBar[], range: DateRange, today: string): boolean {
  if (range.from !== undefined && !isWithinData(bars, range.from)) return false;
  if (range.to !== undefined) return isWithinData(bars, range.to);
  const last = bars[bars.length - 1]!.date;
  return last >= addDays(today, -PRICE_STORE_DEFAULTS.staleAfterDays);
}

// The live chart close is the quoted price, so a local file's adjusted basis does not carry over.
function liveBasis(instrument: Instrument): string {
  return instrument.unit === 'points' ? 'index level' : 'raw price, not dividend-adjusted';
}
