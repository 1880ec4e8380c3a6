import { describe, expect, it } from 'vitest';
import { idleTurn, nextTurn } from '../../lib/fair-turns.ts';

/** A request: `steps` synchronous steps, each started on a turn of its own. */
async function request(name: string, steps: number, log: string[]): Promise<void> {
  for (let step = 0; step < steps; step += 1) {
    await nextTurn();
    log.push(name);
  }
}

describe('event-loop turns shared between requests', () => {
  it('runs one waiting step per event-loop iteration, so other work gets a turn between any two', async () => {
    const log: string[] = [];
    let probing = true;
    // Re-armed from inside the check phase, the probe runs once per event-loop iteration.
    const probe = () => {
      log.push('|');
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    await Promise.all([request('a', 4, log), request('b', 4, log), request('c', 4, log)]);
    probing = false;
    const between = log.join('').split('|');
    expect(between.join('')).toHaveLength(12);
    // With a bare setImmediate per step, all three requests' steps ran between two probes.
    for (const steps of between) expect(steps.length).toBeLessThanOrEqual(1);
  });

  it('gives background work the turns requests leave: after every waiting step, not between them', async () => {
    const log: string[] = [];
    const background = async () => {
      for (let step = 0; step < 2; step += 1) {
        await idleTurn(10_000);
        log.push('x');
      }
    };
    await Promise.all([background(), request('a', 3, log), request('b', 3, log)]);
    expect(log.join('')).toBe('abababxx');
  });

  it('runs background work at least once per wait, however busy the requests keep the loop', async () => {
    const log: string[] = [];
    let busy = true;
    // Requests that never stop queueing steps until the background step has run.
    const endless = async (name: string) => {
      while (busy) {
        await nextTurn();
        log.push(name);
      }
    };
    const started = performance.now();
    await Promise.all([
      endless('a'),
      endless('b'),
      idleTurn(20).then(() => {
        busy = false;
        log.push('x');
      }),
    ]);
    expect(log).toContain('x');
    expect(log.indexOf('x')).toBeGreaterThan(2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('alternates requests in arrival order and finishes each', async () => {
    const log: string[] = [];
    await Promise.all([request('a', 3, log), request('b', 2, log), request('c', 1, log)]);
    expect(log.join('')).toBe('abcaba');
  });
});
