import { preparePdf, type PdfJobInput } from '../pdf/prepare-pdf.ts';
import { embedPassages } from './embed-passages.ts';
import { prepareDocument } from './prepare-document.ts';

/**
 * The named jobs a worker thread can run: pure functions of structured-clonable input and output.
 * Add a parser here to run it off the event loop with a time budget.
 */
export const WORKER_JOBS = {
  'prepare-document': prepareDocument,
  // Not `preparePdf` itself: a job gets its input alone, and pdf.js in this thread is the default reader.
  'prepare-pdf': (input: PdfJobInput) => preparePdf(input),
  'embed-passages': embedPassages,
} satisfies Record<string, (input: never) => unknown>;

export type WorkerJobName = keyof typeof WORKER_JOBS;
export type WorkerJobInput<Name extends WorkerJobName> = Parameters<(typeof WORKER_JOBS)[Name]>[0];
export type WorkerJobOutput<Name extends WorkerJobName> = Awaited<ReturnType<(typeof WORKER_JOBS)[Name]>>;
