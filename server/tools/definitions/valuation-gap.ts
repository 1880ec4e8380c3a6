import { z } from 'zod';
import { roundTo } from '../metrics.ts';
import { defineTool } from '../types.ts';

const MultipleSchema = z.object({
  label: z.string().trim().min(1, 'label is empty').max(80).describe('What the value is, e.g. "S&P 500 forward P/E".'),
  value: z.number().positive('value must be greater than 0 (a premium between multiples needs positive values)').describe('e.g. 31'),
});

export const ValuationGapArgsSchema = z.object({ a: MultipleSchema, b: MultipleSchema });

/*
 * Seed 002: a P/E of 31 against 18 is a 72.2% premium (31/18 − 1) and, from the other side, an
 * 41.9% discount (1 − 18/31). Articles mix the two; the result gives both.
 */
export const valuationGapTool = defineTool({
  name: 'valuation_gap',
  description:
    'Premium of value a over value b and discount of b to a, in %, for two positive multiples such as P/E ratios (e.g. 25 vs 20 → 25% premium, 20% discount).',
  schema: ValuationGapArgsSchema,
  async run({ a, b }) {
    const premium = (a.value / b.value - 1) * 100;
    const discount = (1 - b.value / a.value) * 100;
    const relation = premium >= 0 ? 'premium' : 'discount';
    return {
      a,
      b,
      ratio: roundTo(a.value / b.value, 4),
      premium_pct: roundTo(premium),
      discount_pct: roundTo(discount),
      provenance: {
        conventions: ['premium of a over b = a / b − 1', 'discount of b to a = 1 − b / a', 'both in %; values as given by the caller'],
        source: 'input',
      },
      summary: `${a.label} (${a.value}) is at a ${Math.abs(roundTo(premium)).toFixed(2)}% ${relation} to ${b.label} (${b.value}); put the other way, ${b.label} is ${Math.abs(roundTo(discount)).toFixed(2)}% ${discount >= 0 ? 'below' : 'above'} ${a.label}.`,
    };
  },
});
