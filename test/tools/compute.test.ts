import { describe, expect, it } from 'vitest';
import { ComputeArgsSchema, runCompute } from '../../server/tools/definitions/compute.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';

const input = (name: string, value: number, period?: string) => ({ name, value, ...(period ? { period } : {}) });

describe('compute tool', () => {
  it.each([
    ['change', [input('Other', 56.7, '2018'), input('Other', 44.1, '2019')], -12.6],
    ['percent_change', [input('Other', 56.7, '2018'), input('Other', 44.1, '2019')], -22.2222222222],
    // Two negatives change in size: a loss of 50 shrinking to 25 is a 50% decrease.
    ['percent_change', [input('Net loss', -50, '2018'), input('Net loss', -25, '2019')], -50],
    ['percent_change', [input('Cash used', -20876, '2018'), input('Cash used', -97727, '2019')], 368.1308679824],
    ['percent_change', [input('Net income', -5, '2018'), input('Net income', 5, '2019')], 200],
    ['sum', [input('A', 1.5), input('B', 2.25), input('C', 3)], 6.75],
    ['average', [input('Payroll', 116.9, '2019'), input('Payroll', 105.9, '2018')], 111.4],
    ['difference', [input('Gross profit', 300), input('Operating income', 120)], 180],
    ['ratio', [input('Total assets', 2664), input('Total liabilities', 909)], 2.930693069307],
    ['share', [input('Cash', 130), input('Total assets', 2664)], 4.87987987988],
  ] as const)('%s', (operation, inputs, expected) => {
    const result = runCompute(ComputeArgsSchema.parse({ operation, inputs }));
    expect(result.value).toBeCloseTo(expected, 8);
  });

  it('counts the inputs strictly beyond a threshold, whatever the size of their gap to it', () => {
    const years = [
      input('Receivables', 15000.4, '2019'),
      input('Receivables', 15000, '2018'),
      input('Receivables', 9, '2017'),
      input('Receivables', 80000, '2016'),
    ];
    // 15,000.4 and 80,000 exceed 15,000; 15,000 itself does not.
    expect(runCompute(ComputeArgsSchema.parse({ operation: 'count', threshold: 15000, inputs: years })).value).toBe(2);
    expect(runCompute(ComputeArgsSchema.parse({ operation: 'count', threshold: 15000, direction: 'below', inputs: years })).value).toBe(1);
    expect(runCompute(ComputeArgsSchema.parse({ operation: 'count', threshold: -1.5, inputs: [input('Margin', -1.2), input('Margin', -1.6)] })).value).toBe(1);
    expect(ComputeArgsSchema.safeParse({ operation: 'count', inputs: years }).success).toBe(false);
  });

  it('computes a CAGR from the years the inputs name', () => {
    const result = runCompute(ComputeArgsSchema.parse({ operation: 'cagr', inputs: [input('Revenue', 100, '2015'), input('Revenue', 146.41, '2019')] }));
    expect(result.value).toBeCloseTo(10, 8);
    expect(result.expression).toBe('((146.41 / 100) ^ (1 / 4) - 1) * 100');
  });

  it('evaluates a formula over named inputs and writes it with their names', () => {
    const result = runCompute(
      ComputeArgsSchema.parse({
        operation: 'formula',
        formula: '(x1 - x2) / x3',
        inputs: [input('Current assets', 391), input('Inventories', 124), input('Current liabilities', 851)],
      }),
    );
    expect(result.value).toBeCloseTo(267 / 851, 10);
    expect(result.formula).toBe('(Current assets − Inventories) ÷ Current liabilities');
    expect(result.expression).toBe('(391 - 124) / 851');
  });

  it('states the formula with inputs and periods, and wraps negatives', () => {
    const result = runCompute(ComputeArgsSchema.parse({ operation: 'change', inputs: [input('Balance', -2.2, '2017'), input('Balance', -1.9, '2018')] }));
    expect(result.formula).toBe('Balance (2018) − Balance (2017)');
    expect(result.expression).toBe('(-1.9) - (-2.2)');
    expect(result.value).toBeCloseTo(0.3, 10);
  });

  it('is in the registry, and rejects a wrong number of inputs and a formula using a missing input', async () => {
    const registry = createToolRegistry();
    expect(registry.list().map((tool) => tool.name)).toContain('compute');
    await expect(registry.run('compute', { operation: 'ratio', inputs: [input('A', 1)] }, { prices: {} as never })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(
      registry.run('compute', { operation: 'formula', formula: 'x1 / x3', inputs: [input('A', 1), input('B', 2)] }, { prices: {} as never }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(registry.run('compute', { operation: 'ratio', inputs: [input('A', 1), input('B', 0)] }, { prices: {} as never })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
