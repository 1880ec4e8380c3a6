import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import { ingestDocument } from '../../ingest/pipeline.ts';
import { searchKnowledgeBase } from '../../server/retrieval/hybrid-search.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * The table rerank inside hybrid search, over reports written for this test: several reports hold
 * tables with the same generic rows ("Other", "Total") and talk about the question's words in prose;
 * one holds the row the question names, for the year it asks about.
 */
const TODAY = '2026-11-21';
const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
let kb: EmbeddedStore;

const report = (title: string, rows: string[], years: [string, string], prose: string) =>
  `# ${title}\n\n| | ${years[0]} | ${years[1]} |\n| --- | --- | --- |\n${rows.map((row) => `| ${row} |`).join('\n')}\n\n${prose}\n`;

const REPORTS = [
  report(
    'Staff costs note',
    ['Wages and salaries | 410 | 395', 'Social security | 52 | 49', 'Other | 12 | 10', 'Total | 474 | 454'],
    ['2019', '2018'],
    'In 2019 the board defined each contribution. Savings schemes were defined by the board in 2019. Each contribution to the schemes is a share of pay. Schemes are reviewed yearly. The rules are in the handbook.',
  ),
  report(
    'Pension note',
    ['Defined contribution schemes | 166 | 178', 'Defined benefit schemes | 57 | 44', 'Total | 223 | 222'],
    ['2019', '2018'],
    'The group operates pension plans in several countries.',
  ),
  report(
    'Older pension note',
    ['Defined contribution schemes | 150 | 141', 'Defined benefit schemes | 61 | 70', 'Total | 211 | 211'],
    ['2016', '2015'],
    'Defined contribution schemes were open to all staff. The defined contribution schemes grew as members moved from the defined benefit schemes.',
  ),
  report(
    'Leases note',
    ['Operating leases | 1,204 | 1,150', 'Other | 33 | 29', 'Total | 1,237 | 1,179'],
    ['2019', '2018'],
    'Leases are recognised on the balance sheet.',
  ),
];

beforeAll(async () => {
  kb = await EmbeddedStore.open({ indexDir: join(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  for (const [index, content] of REPORTS.entries())
    await ingestDocument({ content, filename: `report-${index}.md`, origin: `report-${index}.md` }, { kb, embedder });
});

describe('hybrid search with the table rerank', () => {
  const question = 'What were the defined contribution schemes in 2019?';

  // Without the rerank, the staff costs note's prose (every word of the question, scattered over
  // its sentences) ranks first.
  it('puts the table whose row and year the question names first', async () => {
    const result = await searchKnowledgeBase(kb, embedder, { query: question, k: 5, today: TODAY, rerank: true });
    expect(result.hits[0]!.article.title).toBe('Pension note');
    expect(result.hits[0]!.chunk.text).toContain('Defined contribution schemes');
  });

  it('keeps the fused order and scores when the request does not ask for it', async () => {
    const plain = await searchKnowledgeBase(kb, embedder, { query: question, k: 5, today: TODAY });
    const off = await searchKnowledgeBase(kb, embedder, { query: question, k: 5, today: TODAY, rerank: false });
    expect(plain.hits.map((hit) => [hit.chunk.id, hit.score])).toEqual(off.hits.map((hit) => [hit.chunk.id, hit.score]));
  });

  it('decides relevance before reranking and keeps the top score', async () => {
    const plain = await searchKnowledgeBase(kb, embedder, { query: question, k: 5, today: TODAY });
    const reranked = await searchKnowledgeBase(kb, embedder, { query: question, k: 5, today: TODAY, rerank: true });
    expect(reranked.relevance).toBe(plain.relevance);
    expect(reranked.hits[0]!.score).toBeCloseTo(plain.hits[0]!.score);
  });
});
