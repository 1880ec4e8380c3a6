import { readEventStream } from './sse.js';

/** An error the UI can show as is: `code` from the server's `{error: {code, message}}` or our own. */
export class ApiError extends Error {
  constructor(code, message, status = 0) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

const UNREACHABLE = 'Cannot reach the server. Check that it is running, then retry.';

export function isAbort(error) {
  return error instanceof DOMException && error.name === 'AbortError';
}

// A server started with COPILOT_API_KEY answers 401 until the key is sent. The key is asked for
// once and kept in sessionStorage: it lives as long as the tab, never in localStorage or a cookie.
const API_KEY_STORAGE = 'investment-copilot.api-key';

function readApiKey() {
  try {
    return sessionStorage.getItem(API_KEY_STORAGE) || undefined;
  } catch {
    return undefined;
  }
}

function askForApiKey() {
  const entered = globalThis.prompt?.('This server requires an API key (COPILOT_API_KEY). Enter it to continue; it is kept for this browser session only.');
  const key = typeof entered === 'string' ? entered.trim() : '';
  if (!key) return false;
  try {
    sessionStorage.setItem(API_KEY_STORAGE, key);
  } catch {
    return false;
  }
  return true;
}

async function send(path, { method = 'GET', body, signal, accept = 'application/json' } = {}, retried = false) {
  const key = readApiKey();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError('network', UNREACHABLE);
  }
  if (response.status === 401 && !retried) {
    // A wrong key is forgotten, so the next attempt asks again instead of failing forever.
    if (key) sessionStorage.removeItem(API_KEY_STORAGE);
    if (askForApiKey()) return send(path, { method, body, signal, accept }, true);
  }
  if (!response.ok) throw await readError(response);
  return response;
}

async function readError(response) {
  let payload;
  try {
    payload = await response.json();
  } catch {
    payload = undefined;
  }
  const error = payload && typeof payload === 'object' ? payload.error : undefined;
  if (error && typeof error.message === 'string') return new ApiError(String(error.code ?? 'error'), error.message, response.status);
  if (response.status === 404) return new ApiError('not_found', 'This feature is not available on this server.', 404);
  if (response.status >= 500) return new ApiError('server_error', `The server failed (HTTP ${response.status}). Retry in a moment.`, response.status);
  return new ApiError('http_error', `The request failed (HTTP ${response.status}).`, response.status);
}

export async function requestJson(path, options = {}) {
  const response = await send(path, options);
  if (response.status === 204) return undefined;
  try {
    return await response.json();
  } catch {
    throw new ApiError('bad_response', 'The server sent an answer the page could not read.', response.status);
  }
}

/**
 * POSTs `body` asking for Server-Sent Events and calls onEvent(name, data) for each one. Resolves
 * with the `done` payload; rejects with an ApiError on an `error` event, an HTTP error, a lost
 * connection or a stream that ends without `done`; rejects with an AbortError when `signal` aborts.
 * A server that answers plain JSON instead (no streaming) is accepted as an immediate `done`.
 */
export async function streamEvents(path, body, { signal, onEvent = () => {} } = {}) {
  const response = await send(path, { method: 'POST', body, signal, accept: 'text/event-stream' });
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const payload = await response.json();
    onEvent('done', payload);
    return payload;
  }
  let done;
  let failure;
  try {
    await readEventStream(response.body, ({ event, data }) => {
      if (event === 'done') done = data;
      else if (event === 'error') failure = new ApiError(String(data?.code ?? 'error'), String(data?.message ?? 'The server reported an error.'));
      if (event !== 'error') onEvent(event, data);
    });
  } catch (error) {
    if (isAbort(error) || signal?.aborted) throw new DOMException('Stopped', 'AbortError');
    throw new ApiError('network', 'The connection to the server was lost. Retry.');
  }
  if (failure) throw failure;
  if (done === undefined) throw new ApiError('incomplete', 'The answer stopped before it was complete. Retry.');
  return done;
}

export const api = {
  health: (signal) => requestJson('/api/health', { signal }),
  listArticles: ({ q, limit = 50, offset = 0, sample = false } = {}, signal) => {
    const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (q) params.set('q', q);
    if (sample) params.set('sample', 'true');
    return requestJson(`/api/articles?${params}`, { signal });
  },
  getArticle: (id, signal) => requestJson(`/api/articles/${encodeURIComponent(id)}`, { signal }),
  addArticle: (body) => requestJson('/api/articles', { method: 'POST', body }),
  deleteArticle: (id) => requestJson(`/api/articles/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  removeSamples: () => requestJson('/api/articles?sample=true', { method: 'DELETE' }),
  runTool: (name, args, signal) => requestJson(`/api/tools/${encodeURIComponent(name)}`, { method: 'POST', body: { arguments: args }, signal }),
  chat: (body, options) => streamEvents('/api/chat', body, options),
  listConversations: (signal) => requestJson('/api/conversations', { signal }),
  getConversation: (id, signal) => requestJson(`/api/conversations/${encodeURIComponent(id)}`, { signal }),
  deleteConversation: (id) => requestJson(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  planResearch: (question, signal) => requestJson('/api/research/plan', { method: 'POST', body: { question }, signal }),
  runResearch: (body, options) => streamEvents('/api/research/run', body, options),
};
