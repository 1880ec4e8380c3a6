import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { PlanStep } from './plan-schema.ts';

/**
 * Plans between `POST /api/research/plan` and the run that accepts them: in memory, by id, for a
 * limited time (the clock is injected), and at most `maxPlans` at once (the oldest go first).
 */
export const PLAN_STORE_DEFAULTS = { ttlMs: 30 * 60_000, maxPlans: 500 };

export interface StoredPlan {
  planId: string;
  question: string;
  steps: PlanStep[];
  mode: 'offline' | 'openai';
  notes: string[];
  createdAt: number;
  expiresAt: number;
  promptId?: string;
}

export interface PlanStore {
  save(plan: Omit<StoredPlan, 'planId' | 'createdAt' | 'expiresAt'>): StoredPlan;
  get(planId: string): StoredPlan | undefined;
}

export function createPlanStore(options: { now?: () => number; ttlMs?: number; maxPlans?: number; createId?: () => string } = {}): PlanStore {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? PLAN_STORE_DEFAULTS.ttlMs;
  const createId = options.createId ?? (() => `plan_${randomUUID().replace(/-/g, '')}`);
  // Least recently saved or read go first past `max`; expired plans are never returned. The
  // injected clock drives expiry (ttlResolution 0: read the clock on every check, no timer).
  const plans = new LRUCache<string, StoredPlan>({ max: options.maxPlans ?? PLAN_STORE_DEFAULTS.maxPlans, ttl: ttlMs, ttlResolution: 0, perf: { now } });

  return {
    save(plan) {
      const at = now();
      const stored: StoredPlan = { ...plan, planId: createId(), createdAt: at, expiresAt: at + ttlMs };
      plans.set(stored.planId, stored);
      return stored;
    },
    get: (planId) => plans.get(planId),
  };
}
