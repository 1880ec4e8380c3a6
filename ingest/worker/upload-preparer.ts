import { DOCUMENT_LIMITS } from '../document-limits.ts';
import type { JobRunner } from './job-runner.ts';
import { prepareDocument, type PrepareInput, type PreparedDocument } from './prepare-document.ts';

/**
 * How the server prepares an upload (HTTP or MCP): held to the document limits, parsed and chunked
 * in the worker when there is one (the production server), in-process otherwise (tests).
 */
export function createUploadPreparer(jobs?: JobRunner): (input: PrepareInput, signal?: AbortSignal) => Promise<PreparedDocument> {
  if (!jobs) return async (input) => prepareDocument({ ...input, limits: DOCUMENT_LIMITS });
  return (input, signal) => jobs.run('prepare-document', { ...input, limits: DOCUMENT_LIMITS }, signal ? { signal } : {});
}
