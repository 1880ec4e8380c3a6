import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelRangesOf } from '../../kb/embedded/search-index.ts';
import { inlineVectorGraphs, type VectorGraph } from '../../kb/vector-graph.ts';
import { efSearchFor, labelPredicate, VECTOR_INDEX_DEFAULTS } from '../../kb/vector-index.ts';
import { threadVectorGraphs } from '../../kb/vector-thread.ts';
import { cosine } from '../../lib/similarity.ts';
import { randomVectors } from '../helpers/random-vectors.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const DIM = 24;
const opened: VectorGraph[] = [];

afterEach(async () => {
  for (const graph of opened.splice(0)) await graph.close();
});

async function track(graph: Promise<VectorGraph>): Promise<VectorGraph> {
  const created = await graph;
  opened.push(created);
  return created;
}

describe('labelPredicate', () => {
  it('accepts everything without a filter or with an empty one', () => {
    expect(labelPredicate(undefined)).toBeUndefined();
    expect(labelPredicate({ exclude: new Int32Array() })).toBeUndefined();
  });

  it('accepts labels inside half-open ranges and never an excluded one', () => {
    const accept = labelPredicate({ ranges: Int32Array.from([2, 4, 10, 11]), exclude: Int32Array.from([3]) })!;
    expect([0, 1, 2, 3, 4, 9, 10, 11, 50].filter(accept)).toEqual([2, 10]);
  });
});

describe('efSearchFor', () => {
  it('keeps the measured beam width up to 100k passages and widens it with the size beyond', () => {
    expect(efSearchFor(10)).toBe(VECTOR_INDEX_DEFAULTS.efSearch);
    expect(efSearchFor(100_000)).toBe(400);
    expect(efSearchFor(300_000)).toBe(649);
    expect(efSearchFor(1_000_000)).toBe(1102);
  });
});

describe('labelRangesOf', () => {
  it('sorts articles by first label and merges adjacent ones, skipping empty articles', () => {
    const meta = (firstLabel: number, passages: number) => ({ id: `a${firstLabel}`, title: '', tags: [], tickers: [], firstLabel, passages });
    expect(Array.from(labelRangesOf([meta(10, 2), meta(0, 3), meta(3, 2), meta(7, 0)]).ranges!)).toEqual([0, 5, 10, 12]);
  });
});

describe('the vector graph on its own thread', () => {
  it('answers exactly as the graph on this thread: plain, filtered, excluding, after removals and after a save and read', async () => {
    const vectors = randomVectors(1_500, 7, DIM);
    const queries = randomVectors(20, 99, DIM);
    const inline = await track(inlineVectorGraphs.create(DIM, {}));
    const threaded = await track(threadVectorGraphs.create(DIM, {}));
    for (const graph of [inline, threaded]) {
      vectors.forEach((vector, label) => graph.add(label, vector));
      for (let label = 0; label < 1_500; label += 7) graph.remove(label);
    }
    expect(threaded.size).toBe(inline.size);
    const filters = [undefined, { ranges: Int32Array.from([100, 400, 900, 1_000]) }, { exclude: Int32Array.from([1, 2, 3, 4, 5, 6, 8, 9]) }];
    const answers = async (graph: VectorGraph) => {
      const all = [];
      for (const filter of filters) for (const query of queries) all.push(await graph.search(query, 8, filter));
      return all;
    };
    const expected = await answers(inline);
    expect(expected.every((hits) => hits.length === 8)).toBe(true);
    expect(expected.flat().some((hit) => hit.label % 7 === 0)).toBe(false);
    expect(await answers(threaded)).toEqual(expected);

    const path = join(tempDir(), 'vectors.hnsw');
    await threaded.write(path);
    const live = Int32Array.from(vectors.keys()).filter((label) => label % 7 !== 0);
    const reread = await track(threadVectorGraphs.read(path, DIM, live));
    expect(reread.size).toBe(live.length);
    expect(await answers(reread)).toEqual(expected);
  });

  it('applies writes in order before a later search, whatever the batching', async () => {
    const graph = await track(threadVectorGraphs.create(DIM, {}));
    const [first, second] = randomVectors(2, 3, DIM);
    graph.add(0, first!);
    expect((await graph.search(first!, 1)).map((hit) => hit.label)).toEqual([0]);
    graph.remove(0);
    graph.add(1, second!);
    expect((await graph.search(first!, 5)).map((hit) => hit.label)).toEqual([1]);
  });

  it('lets a search run ahead of background inserts, never ahead of an insert it must see', async () => {
    const graph = await track(threadVectorGraphs.create(DIM, {}));
    const [seen, ...rest] = randomVectors(2_001, 5, DIM);
    graph.add(0, seen!);
    // Many inserts of passages not visible yet: the host applies them a few at a time.
    rest.forEach((vector, offset) => graph.add(offset + 1, vector, { background: true }));
    const order: string[] = [];
    const settled = graph.settled().then(() => order.push('settled'));
    const hits = await graph.search(seen!, 1).then((found) => {
      order.push('search');
      return found;
    });
    await settled;
    expect(hits.map((hit) => hit.label)).toEqual([0]);
    expect(order).toEqual(['search', 'settled']);
    // Once settled, searches see the background inserts.
    expect((await graph.search(rest[7]!, 1)).map((hit) => hit.label)).toEqual([8]);

    // An ordinary insert queued behind background ones is waited for.
    graph.add(5_000, randomVectors(1, 77, DIM)[0]!, { background: true });
    const waited = randomVectors(1, 78, DIM)[0]!;
    graph.add(5_001, waited);
    expect((await graph.search(waited, 1)).map((hit) => hit.label)).toEqual([5_001]);
  });

  it('scores labels by cosine similarity as the graph on this thread does, NaN for labels it does not hold, seeing earlier writes', async () => {
    const vectors = randomVectors(40, 9, DIM);
    const query = randomVectors(1, 10, DIM)[0]!;
    const graphs = [await track(inlineVectorGraphs.create(DIM, {})), await track(threadVectorGraphs.create(DIM, {}))];
    const labels = Int32Array.from([3, 0, 39, 12, 1_000]);
    const answers: Float32Array[] = [];
    for (const graph of graphs) {
      vectors.forEach((vector, label) => graph.add(label, vector));
      graph.remove(12);
      // Sent right after the writes: it must see them (12 removed, 39 present).
      answers.push(await graph.similarities(labels, query));
    }
    for (const answer of answers) {
      [3, 0, 39].forEach((label, position) => expect(answer[position]).toBeCloseTo(cosine(vectors[label]!, query), 5));
      expect(Number.isNaN(answer[3]!)).toBe(true);
      expect(Number.isNaN(answer[4]!)).toBe(true);
    }
    expect(Array.from(answers[1]!)).toEqual(Array.from(answers[0]!));
    // A zero query scores 0 (as cosine() does), not NaN.
    expect(Array.from(await graphs[1]!.similarities(Int32Array.from([3]), new Float32Array(DIM)))).toEqual([0]);
  });

  it('reports a stopped thread to health checks and fails its searches', async () => {
    const graph = await track(threadVectorGraphs.create(DIM, {}));
    expect(graph.problems()).toEqual([]);
    // The thread dies as it would from a native crash: nothing answers any more.
    await (graph as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(graph.problems()).toEqual(['The vector index thread stopped; restart the copilot.']);
    await expect(graph.search(randomVectors(1, 1, DIM)[0]!, 1)).rejects.toMatchObject({ code: 'internal' });
  });

  it('stops its thread only once the inserts it sent are applied (stopping it inside an insert aborted the process)', async () => {
    const graph = await threadVectorGraphs.create(DIM, {});
    const internals = graph as unknown as { inFlight: number; worker: { terminate(): Promise<number> } };
    const terminate = internals.worker.terminate.bind(internals.worker);
    let inFlightAtStop = -1;
    internals.worker.terminate = () => {
      inFlightAtStop = internals.inFlight;
      return terminate();
    };
    randomVectors(2_000, 11, DIM).forEach((vector, label) => graph.add(label, vector));
    await graph.close();
    expect(inFlightAtStop).toBe(0);
  });

  it('refuses work once closed, with an actionable error', async () => {
    const graph = await threadVectorGraphs.create(DIM, {});
    await graph.close();
    await expect(graph.search(randomVectors(1, 1, DIM)[0]!, 1)).rejects.toMatchObject({ code: 'internal' });
  });
});
