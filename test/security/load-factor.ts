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
