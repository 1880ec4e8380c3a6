import { AppError } from '../../lib/errors.ts';
import type { Instrument } from './types.ts';

interface InstrumentEntry extends Instrument {
  /** Lower-case names users type; the id and the Yahoo symbol (without `^`) always match too. */
  aliases: string[];
}

/**
 * The series the copilot knows by name. An ETF is never an alias of its index: IWM tracks the
 * Russell 2000 but is a fund price (with fees, dividends and its own level), so "Russell 2000"
 * resolves to the index and IWM to the fund, and every result names the one used.
 */
const INSTRUMENTS: InstrumentEntry[] = [
  {
    id: 'RUT',
    yahooSymbol: '^RUT',
    name: 'Russell 2000',
    kind: 'index',
    unit: 'points',
    basis: 'index level',
    aliases: ['russell 2000', 'russell 2000 index', 'the russell 2000', 'russell', 'r2k', 'rty'],
  },
  {
    id: 'GSPC',
    yahooSymbol: '^GSPC',
    name: 'S&P 500',
    kind: 'index',
    unit: 'points',
    basis: 'index level',
    aliases: ['spx', 's&p 500', 's&p500', 's&p 500 index', 's&p', 'sp500', 'sp 500', 'inx', "standard & poor's 500"],
  },
  {
    id: 'IXIC',
    yahooSymbol: '^IXIC',
    name: 'Nasdaq Composite',
    kind: 'index',
    unit: 'points',
    basis: 'index level',
    aliases: ['nasdaq composite', 'nasdaq composite index', 'nasdaq', 'comp'],
  },
  {
    id: 'DJI',
    yahooSymbol: '^DJI',
    name: 'Dow Jones Industrial Average',
    kind: 'index',
    unit: 'points',
    basis: 'index level',
    aliases: ['dow', 'dow jones', 'djia', 'the dow', 'dow jones industrial average', 'indu'],
  },
  {
    id: 'VIX',
    yahooSymbol: '^VIX',
    name: 'Cboe Volatility Index',
    kind: 'index',
    unit: 'points',
    basis: 'index level, official Cboe values',
    aliases: ['cboe volatility index', 'volatility index', 'vix index'],
  },
  {
    id: 'SPY',
    yahooSymbol: 'SPY',
    name: 'SPDR S&P 500 ETF Trust',
    kind: 'etf',
    unit: 'USD',
    basis: 'raw price, not dividend-adjusted',
    aliases: [],
  },
  {
    id: 'QQQ',
    yahooSymbol: 'QQQ',
    name: 'Invesco QQQ Trust (Nasdaq-100)',
    kind: 'etf',
    unit: 'USD',
    basis: 'raw price, not dividend-adjusted',
    aliases: [],
  },
  {
    id: 'IWM',
    yahooSymbol: 'IWM',
    name: 'iShares Russell 2000 ETF',
    kind: 'etf',
    unit: 'USD',
    basis: 'raw price, not dividend-adjusted',
    aliases: [],
  },
  {
    id: 'DIA',
    yahooSymbol: 'DIA',
    name: 'SPDR Dow Jones Industrial Average ETF',
    kind: 'etf',
    unit: 'USD',
    basis: 'raw price, not dividend-adjusted',
    aliases: [],
  },
  {
    id: 'IJS',
    yahooSymbol: 'IJS',
    name: 'iShares S&P Small-Cap 600 Value ETF',
    kind: 'etf',
    unit: 'USD',
    basis: 'dividend-adjusted close, total return',
    aliases: [],
  },
];

const BY_NAME = buildNameIndex(INSTRUMENTS);

// A ticker the live provider could fetch (AAPL, BRK-B, ^FTSE, ES=F); free text with spaces is not one.
const TICKER_PATTERN = /^\^?[A-Za-z][A-Za-z0-9.\-=]{0,11}$/;

/**
 * Maps what a user or the model typed to one series: known names and aliases to their canonical
 * instrument; anything else that looks like a ticker to an ad-hoc instrument the price store may
 * find in a local file or fetch live. Free text that names nothing is a `bad_request`.
 */
export function resolveSymbol(input: string): Instrument {
  const key = normaliseName(input);
  const known = BY_NAME.get(key);
  if (known) return toInstrument(known);
  const trimmed = input.trim();
  if (TICKER_PATTERN.test(trimmed)) {
    const yahooSymbol = trimmed.toUpperCase();
    const isIndex = yahooSymbol.startsWith('^');
    return {
      id: yahooSymbol.replace(/^\^/, ''),
      yahooSymbol,
      name: yahooSymbol,
      kind: isIndex ? 'index' : 'other',
      unit: isIndex ? 'points' : 'USD',
      basis: isIndex ? 'index level' : 'quoted price',
    };
  }
  throw new AppError('bad_request', `Unknown symbol "${input.trim().slice(0, 60)}". Known series: ${describeKnownSymbols()}.`);
}

/** The series the copilot names (its bundled price files' symbols), as instruments. */
export function knownInstruments(): Instrument[] {
  return INSTRUMENTS.map(toInstrument);
}

/** Known series for error messages and tool descriptions: `RUT (Russell 2000, index), …`. */
export function describeKnownSymbols(): string {
  return INSTRUMENTS.map((entry) => `${entry.id} (${entry.name}, ${entry.kind})`).join(', ');
}

function normaliseName(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^\^/, '');
}

function buildNameIndex(entries: InstrumentEntry[]): Map<string, InstrumentEntry> {
  const index = new Map<string, InstrumentEntry>();
  for (const entry of entries) {
    for (const name of [entry.id, entry.yahooSymbol, ...entry.aliases]) index.set(normaliseName(name), entry);
  }
  return index;
}

function toInstrument({ aliases: _aliases, ...instrument }: InstrumentEntry): Instrument {
  return instrument;
}
