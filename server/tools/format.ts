import type { Instrument } from '../market/types.ts';

const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 2669.16 → "2,669.16"; fund prices get a dollar sign. */
export function formatPrice(value: number, instrument?: Pick<Instrument, 'unit'>): string {
  const text = NUMBER_FORMAT.format(value);
  return instrument?.unit === 'USD' ? `$${text}` : text;
}

/** 7.5306 → "+7.53%". */
export function formatSignedPct(value: number): string {
  return `${value >= 0 ? '+' : '−'}${NUMBER_FORMAT.format(Math.abs(value))}%`;
}

/** 186.93 → "+186.93 points" for an index, "+$12.30" for a fund. */
export function formatChange(value: number, instrument: Pick<Instrument, 'unit'>): string {
  const sign = value >= 0 ? '+' : '−';
  const magnitude = NUMBER_FORMAT.format(Math.abs(value));
  return instrument.unit === 'USD' ? `${sign}$${magnitude}` : `${sign}${magnitude} points`;
}

/** "Russell 2000 (^RUT, index level)". */
export function describeInstrument(instrument: Instrument): string {
  return `${instrument.name} (${instrument.yahooSymbol}, ${instrument.basis})`;
}

export { pluralize } from '../../lib/pluralize.ts';
