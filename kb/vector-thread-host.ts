import type { LabelFilter, VectorHit, VectorIndexParameters } from './vector-index.ts';
import { VectorIndex } from './vector-index.ts';

/**
 * The worker side of the threaded vector graph (vector-thread.ts): one hnswlib graph, changed and
 * searched by messages. Writes run in the order they arrive; a search runs at once unless a write
 * is queued before it (so it sees every write sent before it), and may overlap a save, which only
 * reads the graph (the store adds nothing until a save resolves).
 */
export type VectorThreadRequest =
  | { id: number; type: 'create'; dim: number; parameters: Partial<VectorIndexParameters> }
  | { id: number; type: 'read'; path: string; dim: number; live: Int32Array }
  | { id: number; type: 'update'; addLabels: Int32Array; addVectors: Float32Array; removeLabels: Int32Array }
  | { id: number; type: 'search'; vector: Float32Array; k: number; filter?: LabelFilter }
  | { id: number; type: 'write'; path: string };

export type VectorThreadReply = { id: number; ok: true; hits?: VectorHit[] } | { id: number; ok: false; message: string };

export interface VectorThreadHost {
  handle(request: VectorThreadRequest): Promise<VectorThreadReply>;
}

export function createVectorThreadHost(): VectorThreadHost {
  let index: VectorIndex | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  /** Writes queued or running, saves aside: a search waits for them. */
  let queuedWrites = 0;

  const graph = (): VectorIndex => {
    if (!index) throw new Error('the vector graph was used before it was created');
    return index;
  };

  const run = async (request: VectorThreadRequest): Promise<VectorHit[] | undefined> => {
    switch (request.type) {
      case 'create':
        index = VectorIndex.create(request.dim, request.parameters);
        return undefined;
      case 'read':
        index = await VectorIndex.read(request.path, request.dim, request.live);
        return undefined;
      case 'update':
        graph().addBatch(request.addLabels, request.addVectors);
        for (const label of request.removeLabels) graph().remove(label);
        return undefined;
      case 'search':
        return graph().search(request.vector, request.k, request.filter);
      case 'write':
        await graph().write(request.path);
        return undefined;
    }
  };

  const reply = async (request: VectorThreadRequest, work: () => Promise<VectorHit[] | undefined>): Promise<VectorThreadReply> => {
    try {
      const hits = await work();
      return hits ? { id: request.id, ok: true, hits } : { id: request.id, ok: true };
    } catch (error) {
      return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };

  return {
    handle(request) {
      if (request.type === 'search' && queuedWrites === 0) return reply(request, () => run(request));
      const changes = request.type !== 'search' && request.type !== 'write';
      if (changes) queuedWrites += 1;
      const result = chain.then(() =>
        reply(request, async () => {
          try {
            return await run(request);
          } finally {
            if (changes) queuedWrites -= 1;
          }
        }),
      );
      chain = result;
      return result;
    },
  };
}
