import { afterAll, describe, expect, it } from 'vitest';
import { preparePdfDocument } from '../../ingest/parse-input.ts';
import { createJobRunner } from '../../ingest/worker/job-runner.ts';
import { buildPdf, sampleReportSpec } from '../helpers/build-pdf.ts';

// The ingest worker every upload goes through; PDFs are one of its jobs.
const jobs = createJobRunner();
afterAll(() => jobs.close());

describe('PDF reading in the ingest worker', () => {
  it('reads, lays out and cuts a PDF off the main thread, pages kept', async () => {
    const prepared = await preparePdfDocument({ content: await buildPdf(sampleReportSpec()) }, { jobs });
    expect(prepared.status).toBe('ok');
    if (prepared.status !== 'ok') return;
    const [{ article, drafts }] = prepared.articles as [(typeof prepared.articles)[number]];
    expect(article).toMatchObject({ title: 'Tessaline Robotics Annual Report 2025', pages: 4 });
    expect([...new Set(drafts.map((draft) => draft.page))]).toEqual([1, 2, 4]);
  });

  it('stops a PDF over its time budget with 422 naming the limit, and serves the next one', async () => {
    const bytes = await buildPdf(sampleReportSpec());
    const slow = await preparePdfDocument({ content: bytes }, { jobs, limits: { timeoutMs: 1 } });
    expect(slow).toEqual({ status: 'failed', code: 'unprocessable', reason: 'reading the PDF took longer than 0.001 s (COPILOT_PDF_TIMEOUT_MS)' });
    const next = await preparePdfDocument({ content: bytes }, { jobs });
    expect(next.status).toBe('ok');
  });

  it('refuses an oversized or fake PDF before the worker sees it', async () => {
    const tooBig = await preparePdfDocument({ content: await buildPdf(sampleReportSpec()) }, { jobs, limits: { maxBytes: 1024 } });
    expect(tooBig).toMatchObject({ status: 'failed', code: 'payload_too_large' });
    const fake = await preparePdfDocument({ content: new TextEncoder().encode('plain text, not a PDF') }, { jobs });
    expect(fake).toMatchObject({ status: 'failed', code: 'unprocessable', reason: 'not a PDF: the file does not start with "%PDF-"' });
  });
});
