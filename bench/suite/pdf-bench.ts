import { parseArgs } from 'node:util';
import { preparePdfDocument } from '../../ingest/parse-input.ts';
import { createJobRunner } from '../../ingest/worker/job-runner.ts';
import { buildPdf, column, tableRow, type PdfLine, type PdfPageSpec } from '../../test/helpers/build-pdf.ts';
import { writeStepResult } from './step-io.ts';
import { round, rssMb } from './statistics.ts';

/**
 * PDF throughput: a generated report (two columns of prose on every page, a table with a two-row
 * header on every fifth, running header and page numbers) prepared exactly as an upload is: in
 * the ingest worker, pdf.js, then layout, tables, sections and passages. The first parse pays the
 * worker's start and pdf.js's loading; the warm figure is the median of the following runs, in
 * wall time and in CPU time of all threads (the latter does not depend on what else the machine
 * runs). RSS is the process's (the worker thread included) after the runs.
 *
 *   tsx bench/suite/pdf-bench.ts --pages 100 --out result.json
 */
const SENTENCES = [
  'Order intake rose in the quarter as customers brought forward',
  'projects that had been delayed by the supply shortages of the',
  'previous year, and the backlog now covers most of next year.',
  'Pricing held firm across the main product lines while freight',
  'and energy costs eased, which lifted the gross margin by close',
  'to a point compared with the same period a year earlier.',
];

function pageSpec(index: number): PdfPageSpec {
  const prose = (x: number, y: number, lines: number): PdfLine[] =>
    column(
      x,
      y,
      Array.from({ length: lines }, (_, line) => `${SENTENCES[(index + line) % SENTENCES.length]!.slice(0, 44)}`),
    );
  const lines: PdfLine[] = [{ text: `Section ${index + 1}: operating review`, x: 72, y: 80, size: 14 }];
  if (index % 5 === 4) {
    lines.push(
      { text: 'Segment results (in millions)', x: 72, y: 110 },
      { text: 'Year ended December 31', x: 330, y: 128 },
      ...tableRow(143, '', ['2025', '2024'], [380, 470]),
    );
    for (let row = 0; row < 12; row += 1)
      lines.push(
        ...tableRow(160 + row * 15, `Segment ${row + 1}`, [`${(1_000 + row * 37.5 + index).toFixed(1)}`, `${(900 + row * 31.25).toFixed(1)}`], [380, 470]),
      );
    lines.push(...prose(72, 360, 24));
  } else {
    lines.push(...prose(72, 110, 48), ...prose(320, 110, 48));
  }
  return { lines };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '100' }, runs: { type: 'string', default: '4' }, out: { type: 'string' } } });
  const pages = Number(values.pages);
  const runs = Number(values.runs);
  if (!Number.isInteger(pages) || pages <= 0 || !values.out) throw new Error('usage: pdf-bench.ts --pages N [--runs N] --out FILE');
  const bytes = await buildPdf({
    title: 'Generated annual report',
    runningHeader: 'Generated Industries | Annual Report',
    pages: Array.from({ length: pages }, (_, index) => pageSpec(index)),
  });
  const jobs = createJobRunner();
  const timings: number[] = [];
  const cpuTimings: number[] = [];
  let sections = 0;
  let tables = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const outcome = await preparePdfDocument({ content: bytes }, { jobs, limits: { maxPages: pages } });
    timings.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimings.push((used.user + used.system) / 1000);
    if (outcome.status !== 'ok') throw new Error(`the generated report failed to parse: ${outcome.status === 'failed' ? outcome.reason : outcome.status}`);
    const { article } = outcome.articles[0]!;
    sections = article.sections.length;
    tables = article.sections.reduce((sum, section) => sum + (section.tables?.length ?? 0), 0);
  }
  const warm = [...timings.slice(1)].sort((left, right) => left - right);
  const warmMs = warm.length > 0 ? warm[Math.floor(warm.length / 2)]! : timings[0]!;
  const warmCpu = [...cpuTimings.slice(1)].sort((left, right) => left - right);
  const warmCpuMs = warmCpu.length > 0 ? warmCpu[Math.floor(warmCpu.length / 2)]! : cpuTimings[0]!;
  writeStepResult(values.out, {
    pages,
    megabytes: round(bytes.byteLength / 1024 / 1024, 2),
    sections,
    tables,
    coldSeconds: round(timings[0]! / 1000, 2),
    warmSeconds: round(warmMs / 1000, 2),
    pagesPerSecond: round((pages * 1000) / warmMs, 1),
    coldPagesPerSecond: round((pages * 1000) / timings[0]!, 1),
    cpuPagesPerSecond: round((pages * 1000) / warmCpuMs, 1),
    rssMb: rssMb(),
  });
  await jobs.close();
  process.exit(0);
}

void main();
