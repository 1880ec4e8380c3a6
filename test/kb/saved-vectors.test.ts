import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ColdFileGuard, SAVED_VECTORS_DEFAULTS, SavedVectors, savedLayout } from '../../kb/saved-vectors.ts';
import { VectorIndex } from '../../kb/vector-index.ts';
import { threadVectorGraphs } from '../../kb/vector-thread.ts';
import { randomVectors } from '../helpers/random-vectors.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const DIM = 24;
const defaults = { ...SAVED_VECTORS_DEFAULTS };

afterEach(() => {
  Object.assign(SAVED_VECTORS_DEFAULTS, defaults);
});

/** An index of `count` vectors under labels first, first + 1, … (some labels skipped), written to a file. */
async function savedIndex(count: number, labelOf = (position: number) => position + Math.floor(position / 7)) {
  const index = VectorIndex.create(DIM);
  const vectors = randomVectors(count, 11, DIM);
  const labels = vectors.map((vector, position) => {
    const label = labelOf(position);
    index.add(label, vector);
    return label;
  });
  const path = join(tempDir(), 'vectors.hnsw');
  await index.write(path);
  return { index, labels, path };
}

/** What a file gives for each label (undefined where not visited). */
function readAll(saved: SavedVectors, labels: Int32Array): (number[] | undefined)[] {
  const out: (number[] | undefined)[] = Array.from({ length: labels.length }, () => undefined);
  const visited = saved.visit(labels, (position, vector) => {
    out[position] = Array.from(vector);
  });
  out.forEach((vector, position) => expect(vector !== undefined).toBe(visited[position] === 1));
  return out;
}

describe('savedLayout', () => {
  it("reads hnswlib's header for the vectors' dimension and refuses any other", async () => {
    const { path, index } = await savedIndex(50);
    const file = readFileSync(path);
    const layout = savedLayout(file.subarray(0, 96), DIM, file.length)!;
    expect(layout.elements).toBe(50);
    expect(layout.labelOffset - layout.dataOffset).toBe(DIM * 4);
    expect(layout.recordBytes).toBe(layout.labelOffset + 8);
    expect(savedLayout(file.subarray(0, 96), DIM + 1, file.length)).toBeUndefined();
    expect(savedLayout(file.subarray(0, 96), DIM, 96 + 49 * layout.recordBytes)).toBeUndefined();
    expect(savedLayout(file.subarray(0, 95), DIM, file.length)).toBeUndefined();
    expect(savedLayout(new Uint8Array(96).fill(0xff), DIM, file.length)).toBeUndefined();
    await index.close();
  });
});

describe('SavedVectors', () => {
  it("gives every label's vector exactly as hnswlib does, in any order, reading consecutive records together", async () => {
    // Small chunks and runs, so that indexing crosses chunk boundaries and runs are cut.
    SAVED_VECTORS_DEFAULTS.scanBytes = 1_000;
    SAVED_VECTORS_DEFAULTS.runBytes = 500;
    const { index, labels, path } = await savedIndex(300);
    const saved = (await SavedVectors.open(path, DIM))!;
    expect(saved.has(labels[0]!)).toBe(false);
    expect(await saved.indexLabels()).toBe(true);
    expect(saved.size).toBe(300);
    const expected = (label: number) => Array.from(index.vectorOf(label)!);
    const inOrder = readAll(saved, Int32Array.from(labels));
    labels.forEach((label, position) => expect(inOrder[position]).toEqual(expected(label)));
    const shuffled = Int32Array.from([labels[5]!, -1, labels[299]!, 100_000, labels[0]!, labels[1]!, labels[2]!, 7]);
    const read = readAll(saved, shuffled);
    expect(read[1]).toBeUndefined();
    expect(read[3]).toBeUndefined();
    // Label 7 is skipped by `labelOf` (every seventh position moves the labels on by one).
    expect(saved.has(7)).toBe(false);
    expect(read[7]).toBeUndefined();
    for (const position of [0, 2, 4, 5, 6]) expect(read[position]).toEqual(expected(shuffled[position]!));
    await saved.close();
    expect(readAll(saved, Int32Array.from(labels.slice(0, 3)))).toEqual([undefined, undefined, undefined]);
    await index.close();
  });

  it("reads only the records a later save of the same graph added, and every record of another graph's file", async () => {
    const { index, labels, path } = await savedIndex(100);
    const earlier = (await SavedVectors.open(path, DIM))!;
    await earlier.indexLabels();
    const added = randomVectors(30, 21, DIM);
    added.forEach((vector, position) => index.add(500 + position, vector));
    const laterPath = join(tempDir(), 'later.hnsw');
    await index.write(laterPath);
    const later = (await SavedVectors.open(laterPath, DIM))!;
    expect(await later.indexLabels(earlier)).toBe(true);
    expect(later.labelsRead).toBe(30);
    const all = Int32Array.from([...labels, ...added.map((_, position) => 500 + position)]);
    readAll(later, all).forEach((vector, position) => expect(vector).toEqual(Array.from(index.vectorOf(all[position]!)!)));

    // Another graph holding other labels in other records: its file is read whole.
    const other = VectorIndex.create(DIM);
    randomVectors(120, 4, DIM).forEach((vector, position) => other.add(119 - position, vector));
    const otherPath = join(tempDir(), 'other.hnsw');
    await other.write(otherPath);
    const otherSaved = (await SavedVectors.open(otherPath, DIM))!;
    expect(await otherSaved.indexLabels(earlier)).toBe(true);
    expect(otherSaved.labelsRead).toBe(120);
    const otherLabels = Int32Array.from({ length: 120 }, (_, label) => label);
    readAll(otherSaved, otherLabels).forEach((vector, label) => expect(vector).toEqual(Array.from(other.vectorOf(label)!)));
    for (const file of [earlier, later, otherSaved]) await file.close();
    for (const graph of [index, other]) await graph.close();
  });

  it('does not use a file that is not a graph hnswlib saved for these dimensions', async () => {
    const path = join(tempDir(), 'not-a-graph');
    writeFileSync(path, Buffer.alloc(4096, 7));
    expect(await SavedVectors.open(path, DIM)).toBeUndefined();
    const { index, path: graph } = await savedIndex(20);
    expect(await SavedVectors.open(graph, 32)).toBeUndefined();
    await index.close();
  });
});

describe('ColdFileGuard', () => {
  it('leaves the file to hnswlib for the next calls after one whose reads went to the disk, then tries it again', () => {
    let blockReads = 0;
    const guard = new ColdFileGuard(() => blockReads, 2);
    const ran: string[] = [];
    const read = (name: string, fromDisk = 0) =>
      guard.attempt(() => {
        blockReads += fromDisk;
        ran.push(name);
        return name;
      });
    expect(read('cached')).toBe('cached');
    expect(read('cold', 8)).toBe('cold');
    expect(read('rest 1')).toBeUndefined();
    expect(read('rest 2')).toBeUndefined();
    expect(read('again')).toBe('again');
    expect(read('cached again')).toBe('cached again');
    expect(ran).toEqual(['cached', 'cold', 'again', 'cached again']);
  });
});

describe('VectorIndex similarities from its saved file', () => {
  it('equal those computed from hnswlib, for labels saved and added since, removed ones NaN', async () => {
    const { index, labels } = await savedIndex(200);
    const query = randomVectors(1, 99, DIM)[0]!;
    const asked = Int32Array.from([...labels.slice(0, 40), ...labels.slice(150, 160), 5_000]);
    const before = index.similarities(asked, query);
    expect(index.vectorReads.saved).toBe(0);
    expect(await index.savedVectorsReady()).toBe(true);
    const after = index.similarities(asked, query);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(Number.isNaN(after[asked.length - 1]!)).toBe(true);
    expect(index.vectorReads.saved).toBe(50);

    // Added after the write: hnswlib serves it until a later file holds it.
    const added = randomVectors(1, 5, DIM)[0]!;
    index.add(1_000, added);
    index.remove(labels[0]!);
    const graphReads = index.vectorReads.graph;
    const mixed = index.similarities(Int32Array.from([1_000, labels[0]!, labels[1]!]), query);
    expect(index.vectorReads.graph).toBe(graphReads + 1);
    expect(Number.isNaN(mixed[1]!)).toBe(true);
    expect(mixed[2]).toBe(before[1]);
    const norm = Math.hypot(...query);
    const unit = Math.hypot(...added);
    expect(mixed[0]).toBeCloseTo(added.reduce((sum, value, position) => sum + (value / unit) * query[position]!, 0) / norm, 5);

    // A later write is adopted once indexed: the new label is then read from it.
    await index.write(join(tempDir(), 'later.hnsw'));
    expect(await index.savedVectorsReady()).toBe(true);
    const savedReads = index.vectorReads.saved;
    expect(Array.from(index.similarities(Int32Array.from([1_000]), query))).toEqual([mixed[0]]);
    expect(index.vectorReads.saved).toBe(savedReads + 1);
    // A zero query is similar to nothing: 0 for every live label (the first was removed), NaN for the rest.
    expect(Array.from(index.similarities(asked, new Float32Array(DIM)))).toEqual([Number.NaN, ...Array.from({ length: 49 }, () => 0), Number.NaN]);
    await index.close();
  });

  it('reads from the file a graph was loaded from, and closes it with the index', async () => {
    const { index, labels, path } = await savedIndex(120);
    const query = randomVectors(1, 3, DIM)[0]!;
    const expected = index.similarities(Int32Array.from(labels), query);
    const loaded = await VectorIndex.read(path, DIM, labels);
    expect(await loaded.savedVectorsReady()).toBe(true);
    expect(Array.from(loaded.similarities(Int32Array.from(labels), query))).toEqual(Array.from(expected));
    expect(loaded.vectorReads).toEqual({ saved: 120, graph: 0 });
    const openFiles = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);
    const open = openFiles();
    await loaded.close();
    if (process.platform === 'linux') expect(openFiles()).toBe(open - 1);
    // Closed: hnswlib answers again, the same.
    expect(Array.from(loaded.similarities(Int32Array.from(labels.slice(0, 3)), query))).toEqual(Array.from(expected.subarray(0, 3)));
    expect(loaded.vectorReads.graph).toBe(3);
    await index.close();
  });

  // The thread holds the file as a FileHandle, which Node closes when the thread stops.
  it("answers the same on the graph's own thread, and holds the file no longer once the graph closes", async () => {
    const { index, labels, path } = await savedIndex(80);
    const query = randomVectors(1, 8, DIM)[0]!;
    const expected = index.similarities(Int32Array.from(labels), query);
    const openFiles = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);
    const before = openFiles();
    const graph = await threadVectorGraphs.read(path, DIM, Int32Array.from(labels));
    // The thread indexes the file in the background: the answer is the same either way.
    expect(Array.from(await graph.similarities(Int32Array.from(labels), query))).toEqual(Array.from(expected));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Array.from(await graph.similarities(Int32Array.from(labels), query))).toEqual(Array.from(expected));
    await graph.close();
    if (process.platform === 'linux') expect(openFiles()).toBeLessThanOrEqual(before);
    await index.close();
  });
});
