import { afterAll, describe, expect, it } from 'vitest';
import { extractWith, PDF_DEFAULTS } from '../../ingest/pdf/parse-pdf.ts';
import { WorkerHost } from '../../ingest/pdf/run-worker.ts';
import { buildPdf, sampleReportSpec } from '../helpers/build-pdf.ts';

const host = new WorkerHost(new URL('../../ingest/pdf/pdf-worker.mjs', import.meta.url), { idleMs: 5_000 });
afterAll(() => host.close());

describe('PDF reading in a worker thread', () => {
  it('reads the pages off the main thread', async () => {
    const extraction = await extractWith(host, await buildPdf(sampleReportSpec()), PDF_DEFAULTS);
    expect(extraction.ok).toBe(true);
    if (!extraction.ok) return;
    expect(extraction.info).toMatchObject({ pageCount: 4, title: 'Tessaline Robotics Annual Report 2025' });
    expect(extraction.pages.map((page) => page.items.length > 0)).toEqual([true, true, false, true]);
  });

  it('stops a job over its time budget, names the limit, and serves the next job', async () => {
    const bytes = await buildPdf(sampleReportSpec());
    const slow = await extractWith(host, bytes, { ...PDF_DEFAULTS, timeoutMs: 1 });
    expect(slow).toEqual({ ok: false, kind: 'timeout', message: 'reading the PDF took longer than 0.001 s (COPILOT_PDF_TIMEOUT_MS)' });
    const next = await extractWith(host, bytes, PDF_DEFAULTS);
    expect(next.ok).toBe(true);
  });
});
