import { describe, expect, it } from 'vitest';
import { createPlanStore } from '../../server/research/plan-store.ts';

const plan = { question: 'q', steps: [{ id: 's1', title: 't', query: 'q', tools: [] }], mode: 'offline' as const, notes: [] };

describe('plan store', () => {
  it('keeps a plan until it expires, then forgets it', () => {
    let now = 1_000;
    let counter = 0;
    const store = createPlanStore({ now: () => now, ttlMs: 60_000, createId: () => `plan_${(counter += 1)}` });
    const saved = store.save(plan);
    expect(saved).toMatchObject({ planId: 'plan_1', createdAt: 1_000, expiresAt: 61_000 });
    now = 61_000;
    expect(store.get('plan_1')?.steps).toEqual(plan.steps);
    now = 61_001;
    expect(store.get('plan_1')).toBeUndefined();
    expect(store.get('plan_unknown')).toBeUndefined();
  });

  it('holds at most maxPlans, dropping the oldest first', () => {
    let counter = 0;
    const store = createPlanStore({ now: () => 0, maxPlans: 2, createId: () => `plan_${(counter += 1)}` });
    store.save(plan);
    store.save(plan);
    store.save(plan);
    expect([store.get('plan_1'), store.get('plan_2')?.planId, store.get('plan_3')?.planId]).toEqual([undefined, 'plan_2', 'plan_3']);
  });
});
