import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { withCircuitBreaker } from '../../server/market/live-breaker.ts';
import { resolveSymbol } from '../../server/market/symbols.ts';

describe('live provider circuit breaker', () => {
  it('stops calling a failing provider until the cooldown passes, then tries again', async () => {
    let calls = 0;
    let fail = true;
    let time = 0;
    const live = withCircuitBreaker(
      {
        name: 'fake',
        async fetchBars() {
          calls += 1;
          if (fail) throw new AppError('upstream_unavailable', 'offline');
          return [];
        },
      },
      { cooldownMs: 1_000, now: () => time },
    );
    const instrument = resolveSymbol('RUT');
    const range = { from: '2026-01-02', to: '2026-01-05' };
    await expect(live.fetchBars(instrument, range)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await expect(live.fetchBars(instrument, range)).rejects.toThrow(/not retrying yet/);
    expect(calls).toBe(1);
    time = 1_001;
    fail = false;
    await expect(live.fetchBars(instrument, range)).resolves.toEqual([]);
    expect(calls).toBe(2);
  });
});
