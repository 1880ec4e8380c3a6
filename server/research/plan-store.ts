import { randomUUID } from 'node:crypto';
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
  const maxPlans = options.maxPlans ?? PLAN_STORE_DEFAULTS.maxPlans;
  const createId = options.createId ?? (() => `plan_${randomUUID().replace(/-/g, '')}`);
  const plans = new Map<string, StoredPlan>();

  const sweep = (at: number) => {
    for (const [id, plan] of plans) if (plan.expiresAt <= at) plans.delete(id);
  };

  return {
    save(plan) {
      const at = now();
      sweep(at);
      while (plans.size >= maxPlans) plans.delete(plans.keys().next().value!);
      const stored: StoredPlan = { ...plan, planId: createId(), createdAt: at, expiresAt: at + ttlMs };
      plans.set(stored.planId, stored);
      return stored;
    },
    get(planId) {
      const plan = plans.get(planId);
      if (!plan) return undefined;
      if (plan.expiresAt <= now()) {
        plans.delete(planId);
        return undefined;
      }
      return plan;
    },
  };
}
