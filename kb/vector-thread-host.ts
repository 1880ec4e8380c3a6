import type { LabelFilter, VectorHit, VectorIndexParameters } from './vector-index.ts';
import { VectorIndex } from './vector-index.ts';

/**
 * The worker side of the threaded vector graph (vector-thread.ts): one hnswlib graph, changed and
 * searched by messages. Writes run in the order they arrive, a batch of inserts a few at a time
 * with the thread's event loop let through between them, so a search arriving meanwhile can run
 * then. A search names the last write it must see (`after`): it runs as soon as that one is
 * applied, ahead of later writes (inserts of passages not yet visible, which the store does not
 * make visible before they are applied). A search may overlap a save, which only reads the graph
 * (the store adds nothing until a save resolves).
 */
export const VECTOR_HOST_DEFAULTS = {
  /** Inserts applied between two turns of the thread's event loop (about 1 ms at 100k passages): what a search may wait for. */
  insertsPerTurn: 4,
};

export type VectorThreadRequest =
  | { id: number; type: 'create'; dim: number; parameters: Partial<VectorIndexParameters> }
  | { id: number; type: 'read'; path: string; dim: number; live: Int32Array }
  | { id: number; type: 'update'; addLabels: Int32Array; addVectors: Float32Array; removeLabels: Int32Array }
  | { id: number; type: 'search'; vector: Float32Array; k: number; filter?: LabelFilter; after: number }
  | { id: number; type: 'similarities'; labels: Int32Array; vector: Float32Array; after: number }
  | { id: number; type: 'write'; path: string };

/** What a request answers: hits for a search, one similarity per label for `similarities`, nothing for a write. */
export type VectorThreadAnswer = VectorHit[] | Float32Array | undefined;

export type VectorThreadReply = { id: number; ok: true; hits?: VectorHit[]; similarities?: Float32Array } | { id: number; ok: false; message: string };

export interface VectorThreadHost {
  handle(request: VectorThreadRequest): Promise<VectorThreadReply>;
}

export function createVectorThreadHost(): VectorThreadHost {
  let index: VectorIndex | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  /** The id of the last write (create, read, update) applied: ids grow in the order messages are sent. */
  let appliedThrough = 0;
  /** Searches waiting for a write they must see. */
  let waiting: { after: number; start: () => void }[] = [];

  const graph = (): VectorIndex => {
    if (!index) throw new Error('the vector graph was used before it was created');
    return index;
  };
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  const run = async (request: VectorThreadRequest): Promise<VectorThreadAnswer> => {
    switch (request.type) {
      case 'create':
        index = VectorIndex.create(request.dim, request.parameters);
        return undefined;
      case 'read':
        index = await VectorIndex.read(request.path, request.dim, request.live);
        return undefined;
      case 'update': {
        const { addLabels, addVectors, removeLabels } = request;
        const dim = graph().dim;
        for (let start = 0; start < addLabels.length; start += VECTOR_HOST_DEFAULTS.insertsPerTurn) {
          if (start > 0) await nextTurn();
          const end = Math.min(addLabels.length, start + VECTOR_HOST_DEFAULTS.insertsPerTurn);
          graph().addBatch(addLabels.subarray(start, end), addVectors.subarray(start * dim, end * dim));
        }
        for (const label of removeLabels) graph().remove(label);
        return undefined;
      }
      case 'search':
        return graph().search(request.vector, request.k, request.filter);
      case 'similarities':
        return graph().similarities(request.labels, request.vector);
      case 'write':
        await graph().write(request.path);
        return undefined;
    }
  };

  const reply = async (request: VectorThreadRequest, work: () => Promise<VectorThreadAnswer>): Promise<VectorThreadReply> => {
    try {
      const answer = await work();
      if (answer instanceof Float32Array) return { id: request.id, ok: true, similarities: answer };
      return answer ? { id: request.id, ok: true, hits: answer } : { id: request.id, ok: true };
    } catch (error) {
      return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };

  const applied = (id: number) => {
    appliedThrough = Math.max(appliedThrough, id);
    const ready = waiting.filter(({ after }) => after <= appliedThrough);
    waiting = waiting.filter(({ after }) => after > appliedThrough);
    for (const { start } of ready) start();
  };

  return {
    handle(request) {
      // Reads run as soon as the last write they must see is applied (see the module comment).
      if (request.type === 'search' || request.type === 'similarities') {
        if (request.after <= appliedThrough) return reply(request, () => run(request));
        return new Promise((resolve) => {
          waiting.push({ after: request.after, start: () => resolve(reply(request, () => run(request))) });
        });
      }
      const result = chain.then(() =>
        reply(request, async () => {
          try {
            return await run(request);
          } finally {
            // A save changes nothing a search must wait for.
            if (request.type !== 'write') applied(request.id);
          }
        }),
      );
      chain = result;
      return result;
    },
  };
}
