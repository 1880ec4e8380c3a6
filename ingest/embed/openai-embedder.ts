import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { Embedder } from './embedder.ts';
import { normalizeVector } from './normalize-vector.ts';

/**
 * Embeddings from OpenAI (or any OpenAI-compatible server via `baseURL`). Retries are the SDK's own:
 * exponential backoff with jitter on 408/409/429/5xx and connection errors, honouring
 * `retry-after` / `retry-after-ms`; what still fails afterwards becomes an AppError by error class.
 */
export const OPENAI_EMBEDDER_DEFAULTS = {
  model: 'text-embedding-3-small',
  /** Inputs per request; the API takes up to 2,048, smaller batches keep a retry cheap. */
  batchSize: 96,
  /** Characters per request, so a batch of long passages stays far below the per-request token cap. */
  maxBatchChars: 100_000,
  /** Longer inputs are cut: the model reads at most 8,191 tokens, and CJK text is about a token a character. */
  maxInputChars: 8_000,
  maxRetries: 4,
  timeoutMs: 30_000,
};

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAIEmbedderOptions {
  apiKey?: string;
  baseURL?: string;
  model?: string;
  /** Shortened output (text-embedding-3 models only); required for a model whose size is not known here. */
  dimensions?: number;
  batchSize?: number;
  maxBatchChars?: number;
  maxRetries?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The copilot's one OpenAI client (the engines use it too); built from apiKey/baseURL when absent. */
  client?: OpenAI;
}

// Parse only what we use of the response.
const EmbeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  if (options.apiKey === undefined || options.apiKey.trim() === '') {
    throw new AppError('bad_request', 'COPILOT_EMBEDDINGS=openai needs OPENAI_API_KEY: set it, or use COPILOT_EMBEDDINGS=local for the offline embedder.');
  }
  const model = options.model ?? OPENAI_EMBEDDER_DEFAULTS.model;
  const dim = options.dimensions ?? KNOWN_DIMENSIONS[model];
  if (dim === undefined) {
    throw new AppError('bad_request', `The size of ${model}'s embeddings is not known: set its dimensions.`);
  }
  const batchSize = options.batchSize ?? OPENAI_EMBEDDER_DEFAULTS.batchSize;
  const maxBatchChars = options.maxBatchChars ?? OPENAI_EMBEDDER_DEFAULTS.maxBatchChars;
  const client =
    options.client ??
    new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  // Retries and time limit per request, so a shared client keeps the engines' own settings.
  const requestOptions = {
    maxRetries: options.maxRetries ?? OPENAI_EMBEDDER_DEFAULTS.maxRetries,
    timeout: options.timeoutMs ?? OPENAI_EMBEDDER_DEFAULTS.timeoutMs,
  };

  async function embedBatch(inputs: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    let response: unknown;
    try {
      response = await client.embeddings.create(
        {
          model,
          input: inputs,
          // Floats rather than the SDK's default base64: some OpenAI-compatible servers only speak floats.
          encoding_format: 'float',
          ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
        },
        signal === undefined ? requestOptions : { ...requestOptions, signal },
      );
    } catch (error) {
      throw toAppError(error, model);
    }
    const parsed = EmbeddingResponseSchema.safeParse(response);
    if (!parsed.success) throw new AppError('upstream_unavailable', `The embeddings service sent an unexpected response for ${model}.`);
    const vectors = new Array<Float32Array | undefined>(inputs.length);
    for (const item of parsed.data.data) {
      if (item.index >= inputs.length || item.embedding.length !== dim) {
        throw new AppError(
          'upstream_unavailable',
          `The embeddings service sent a vector that does not fit (index ${item.index}, size ${item.embedding.length}, expected ${dim}).`,
        );
      }
      vectors[item.index] = normalizeVector(Float32Array.from(item.embedding));
    }
    if (vectors.some((vector) => vector === undefined)) {
      throw new AppError('upstream_unavailable', `The embeddings service returned fewer vectors than inputs for ${model}.`);
    }
    return vectors as Float32Array[];
  }

  async function embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const results = new Array<Float32Array>(texts.length);
    const pending: { position: number; input: string }[] = [];
    texts.forEach((text, position) => {
      // The API rejects empty strings; a passage with no text has no direction.
      if (text.trim() === '') results[position] = new Float32Array(dim!);
      else pending.push({ position, input: text.slice(0, OPENAI_EMBEDDER_DEFAULTS.maxInputChars) });
    });
    for (const batch of planBatches(pending, batchSize, maxBatchChars)) {
      signal?.throwIfAborted();
      const vectors = await embedBatch(
        batch.map((item) => item.input),
        signal,
      );
      batch.forEach((item, index) => (results[item.position] = vectors[index]!));
    }
    return results;
  }

  return {
    id: `openai:${model}${options.dimensions === undefined ? '' : `:${options.dimensions}`}`,
    dim,
    embedDocuments,
    async embedQuery(text, signal) {
      const [vector] = await embedDocuments([text], signal);
      return vector!;
    },
  };
}

/** Consecutive groups of at most `batchSize` inputs and (unless one input alone exceeds it) `maxChars` characters. */
export function planBatches<T extends { input: string }>(items: T[], batchSize: number, maxChars: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= batchSize || chars + item.input.length > maxChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += item.input.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Maps the SDK's error classes (after its retries) to our codes; the upstream text is kept as the cause only. */
function toAppError(error: unknown, model: string): unknown {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) return new AppError('timeout', `The embeddings service did not answer in time (${model}).`, { cause: error });
  if (error instanceof APIConnectionError) return new AppError('upstream_unavailable', 'The embeddings service could not be reached.', { cause: error });
  if (error instanceof RateLimitError)
    return new AppError('rate_limited', 'The embeddings service is rate limiting requests; try again later.', { cause: error });
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new AppError('unauthorized', 'The embeddings service refused OPENAI_API_KEY.', { cause: error });
  }
  if (error instanceof NotFoundError) return new AppError('bad_request', `The embeddings service does not know the model ${model}.`, { cause: error });
  if (error instanceof BadRequestError) return new AppError('bad_request', `The embeddings service rejected the request for ${model}.`, { cause: error });
  if (error instanceof InternalServerError || error instanceof APIError) {
    return new AppError('upstream_unavailable', `The embeddings service failed (${model}).`, { cause: error });
  }
  return error;
}
