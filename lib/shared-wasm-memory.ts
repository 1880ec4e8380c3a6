/**
 * Shared WebAssembly memories: what our WebAssembly modules address (kb/scoring-kernel.wat,
 * ingest/embed/weighted-sum.wat) and worker threads share (the buffer is a SharedArrayBuffer, and
 * the memory itself can be posted to a thread, which makes its own instance over it).
 */

export const WASM_PAGE_BYTES = 65_536;
/** wasm32's limit; a shared memory reserves this much address space up front, not memory. */
export const WASM_MAX_PAGES = 65_536;

/**
 * A shared memory of at least `bytes`, or undefined past what wasm32 addresses or where the
 * system will not reserve the address space (a RangeError: a limit on virtual memory); the caller
 * then uses a plain SharedArrayBuffer and JavaScript.
 */
export function createSharedMemory(bytes: number): WebAssembly.Memory | undefined {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  if (pages > WASM_MAX_PAGES) return undefined;
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: WASM_MAX_PAGES, shared: true });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Grows `memory` by enough pages for `bytes` and returns the byte offset where the new pages
 * start, or undefined past wasm32's limit or where the system refuses. Growing is atomic: threads
 * growing one memory at once each get pages of their own.
 */
export function growSharedMemory(memory: WebAssembly.Memory, bytes: number): number | undefined {
  try {
    return memory.grow(Math.ceil(bytes / WASM_PAGE_BYTES)) * WASM_PAGE_BYTES;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
