/** Worker-thread entry: reads PDFs' text (see run-worker.ts) and posts each extraction back. */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { extractPdfText } from './extract-pdf-text.ts';
import { serveWorkerJobs } from './run-worker.ts';

const JobSchema = z.object({ bytes: z.instanceof(Uint8Array), maxPages: z.number().int().positive() });

if (parentPort !== null) {
  serveWorkerJobs(parentPort, async (message) => {
    const job = JobSchema.parse(message);
    return extractPdfText(job.bytes, { maxPages: job.maxPages });
  });
}
