/**
 * How much slower than its own CPU time this process runs right now: 1 on an idle machine, 10 when
 * ten other processes compete for each core (a shared CI runner, eight engineers' test runs).
 * Time limits in tests are stated for an idle core and multiplied by this, so they test our work,
 * not the neighbours'.
 */
export function measureSlowdown(sampleMs = 100): number {
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  let sink = 0;
  while (performance.now() - wallStarted < sampleMs) {
    for (let index = 0; index < 10_000; index += 1) sink += Math.sqrt(index);
  }
  const wall = performance.now() - wallStarted;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return sink > 0 ? Math.max(1, wall / Math.max(1, cpuMs)) : 1;
}

/**
 * CPU time (user + system, this process) that `work` takes, in ms. Unlike wall time it does not
 * grow when other processes take the cores, so a bound on it tests our algorithm, not the load.
 * Synchronous work only (a worker thread's CPU would count too, but nothing else runs meanwhile).
 */
export function cpuTimeMs(work: () => unknown): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/**
 * The worst wall-clock noise of this machine right now, in ms: how late a 10 ms timer fires and
 * how long a health request takes while the server does nothing else, sampled over `durationMs`.
 * Work a test causes adds to this noise; a bound of "our limit plus the idle noise" holds on a
 * loaded machine and still fails when our own work stalls the event loop.
 */
export async function measureIdleNoise(probe: () => Promise<void>, durationMs = 1_500): Promise<{ timerLateMs: number; probeMs: number }> {
  let timerLateMs = 0;
  let probeMs = 0;
  const ends = performance.now() + durationMs;
  while (performance.now() < ends) {
    const asked = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    timerLateMs = Math.max(timerLateMs, performance.now() - asked - 10);
    const started = performance.now();
    await probe();
    probeMs = Math.max(probeMs, performance.now() - started);
  }
  return { timerLateMs, probeMs };
}
