import { prepareDocument } from './prepare-document.ts';

/**
 * The named jobs a worker thread can run: pure functions of structured-clonable input and output.
 * Add a parser here (PDF text extraction, say) to run it off the event loop with a time budget.
 */
export const WORKER_JOBS = {
  'prepare-document': prepareDocument,
} satisfies Record<string, (input: never) => unknown>;

export type WorkerJobName = keyof typeof WORKER_JOBS;
export type WorkerJobInput<Name extends WorkerJobName> = Parameters<(typeof WORKER_JOBS)[Name]>[0];
export type WorkerJobOutput<Name extends WorkerJobName> = Awaited<ReturnType<(typeof WORKER_JOBS)[Name]>>;
