import path from 'node:path';
import { createPriceStore } from '../../server/market/price-store.ts';
import type { ToolContext } from '../../server/tools/types.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const dataDir = path.join(repoRoot, 'data');

/** Local files only, a fixed clock: what every tool test runs against. */
export function createLocalContext(today = '2026-08-24'): ToolContext {
  return { prices: createPriceStore({ dataDir, now: () => new Date(`${today}T12:00:00Z`) }), today };
}
