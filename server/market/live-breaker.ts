import { AppError } from '../../lib/errors.ts';
import type { LiveProvider } from './price-store.ts';

/**
 * Wraps the live provider so that an offline machine pays for one failed request, not one per
 * question: after a failure, live data is skipped for `cooldownMs` (the price store then serves
 * the local files with a note saying so).
 */
export function withCircuitBreaker(live: LiveProvider, options: { cooldownMs: number; now?: () => number }): LiveProvider {
  const now = options.now ?? Date.now;
  let openUntil = 0;
  let lastReason = '';
  return {
    name: live.name,
    async fetchBars(instrument, range, signal) {
      if (now() < openUntil) {
        throw new AppError('upstream_unavailable', `${live.name} was unreachable a moment ago (${lastReason}); not retrying yet.`);
      }
      try {
        return await live.fetchBars(instrument, range, signal);
      } catch (error) {
        if (!signal?.aborted && !(error instanceof AppError && error.code === 'not_found')) {
          openUntil = now() + options.cooldownMs;
          lastReason = error instanceof AppError ? error.message : 'request failed';
        }
        throw error;
      }
    },
  };
}
