// @ts-check
/** Worker-thread entry (see run-worker.ts): reads each posted PDF's text and posts the extraction back. */
import { parentPort } from 'node:worker_threads';
import { extractPdfText } from './extract-pdf-text.mjs';

parentPort?.on('message', (/** @type {{ bytes: Uint8Array; maxPages: number }} */ job) => {
  extractPdfText(job.bytes, { maxPages: job.maxPages }).then(
    (value) => parentPort?.postMessage({ ok: true, value }),
    (error) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
