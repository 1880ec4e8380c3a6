import { describe, expect, it } from 'vitest';
import type { Passage } from '../../kb/store.ts';
import type { StoredArticle } from '../../kb/types.ts';
import type { Source } from '../../server/chat/types.ts';
import { composeOfflineReport } from '../../server/research/compose-report.ts';
import { createPriceSentences } from '../../server/chat/offline/price-sentences.ts';
import { loadPromptLibrary } from '../../server/prompts.ts';
import { finishReport } from '../../server/research/finish-report.ts';
import { buildReportSources } from '../../server/research/report-sources.ts';
import type { ResearchFindings, StepFinding } from '../../server/research/types.ts';
import { SAMPLE_ARTICLES_DIR } from '../../lib/samples.ts';
import { join } from 'node:path';

function articleSource(id: string, text: string, origins: string[] = []): Source {
  const article: StoredArticle = {
    id,
    title: `Harbour Freight Note ${id}`,
    text,
    sections: [{ paragraphs: [text] }],
    tags: [],
    tickers: [],
    references: [],
    contentHash: id,
    origins,
    ingestedAt: '2026-01-01T00:00:00Z',
    chunkIds: [`${id}-0`],
    published: '2026-03-02',
    source: 'Quayline Desk',
  };
  const chunk: Passage = { id: `${id}-0`, articleId: id, ordinal: 0, text };
  return { kind: 'article', chunk, article, score: 0.8 };
}

function step(overrides: Partial<StepFinding> & Pick<StepFinding, 'stepId' | 'title' | 'theme'>): StepFinding {
  return { query: overrides.title, status: 'done', relevance: 'strong', passages: [], sentences: [], computations: [], errors: [], ...overrides };
}

const SENTENCE = 'Container rates on the main Asia to Europe lane fell for a sixth week as new ships arrived.';

function compose(steps: StepFinding[], sources: Source[]) {
  const findings: ResearchFindings = { steps, sources, toolCalls: [] };
  const report = buildReportSources(sources);
  const draft = composeOfflineReport({
    findings,
    report,
    conflicts: [],
    prices: createPriceSentences(loadPromptLibrary(join(import.meta.dirname, '../../prompts')), 'en'),
  });
  return { draft, finished: finishReport({ title: 'Freight: drivers', draft, sources: report.sources, notes: [], disclaimer: '_Not advice._' }).report };
}

describe('offline report composition', () => {
  it('gives a step that found nothing no heading and no placeholder; the summary names it as a gap', () => {
    const sources = [articleSource('a1', SENTENCE)];
    const { finished } = compose(
      [
        step({ stepId: 's1', title: 'Drivers of freight rates', theme: 'drivers', sentences: [{ text: SENTENCE, source: 0, score: 1 }] }),
        step({ stepId: 's2', title: 'Earnings of the carriers', theme: 'earnings' }),
        step({ stepId: 's3', title: 'Rates and the Fed', theme: 'rates', status: 'skipped', reason: 'step limit (2) reached' }),
      ],
      sources,
    );
    expect(finished.markdown).toContain('### Drivers of freight rates');
    expect(finished.markdown).not.toContain('### Earnings of the carriers');
    expect(finished.markdown).not.toContain('### Rates and the Fed');
    expect(finished.markdown).not.toMatch(/No passage in your articles|none found|no passage or computation|discuss neither/i);
    expect(finished.markdown).toContain('Gaps: “Earnings of the carriers” (nothing found); “Rates and the Fed” (not run).');
  });

  it('drops a section left with nothing in it instead of showing an empty or placeholder section', () => {
    // One sentence with no risk or opportunity cue: Risks & Opportunities has nothing to hold.
    const sources = [articleSource('a1', SENTENCE)];
    const { finished } = compose(
      [step({ stepId: 's1', title: 'Drivers of freight rates', theme: 'drivers', sentences: [{ text: SENTENCE, source: 0, score: 1 }] })],
      sources,
    );
    const headings = finished.sections.map((section) => section.heading);
    expect(headings).toEqual(['Integrated Analysis', 'Key Insights', 'References']);
    for (const section of finished.sections) expect(section.markdown.trim().length).toBeGreaterThan(0);
    expect(finished.markdown).not.toMatch(/^## (?:Risks|Key Information Summary)/m);
  });

  it('writes one readable reference list: each article once, sample articles labelled as such', () => {
    const sample = articleSource('a1', SENTENCE, [join(SAMPLE_ARTICLES_DIR, 'freight.md')]);
    const own = articleSource('a2', 'Carriers cut capacity on the lane by idling ships for the second month in a row.', ['/home/me/notes/freight.md']);
    const { finished } = compose(
      [
        step({
          stepId: 's1',
          title: 'Drivers of freight rates',
          theme: 'drivers',
          sentences: [
            { text: SENTENCE, source: 0, score: 1 },
            { text: 'Carriers cut capacity on the lane by idling ships for the second month in a row.', source: 1, score: 0.9 },
          ],
        }),
      ],
      [sample, own],
    );
    const references = finished.sections.at(-1)!;
    expect(references.heading).toBe('References');
    expect(references.markdown.split('\n')).toEqual([
      '[0] *Harbour Freight Note a1*, Quayline Desk, sample article, published 2026-03-02.',
      '[1] *Harbour Freight Note a2*, Quayline Desk, published 2026-03-02.',
    ]);
    expect(finished.markdown.match(/^## References$/gm)).toHaveLength(1);
    expect(finished.citations.map((citation) => citation.sample ?? false)).toEqual([true, false]);
  });

  it('leaves out sentences cut from a rendered table row, which read as fragments in prose', () => {
    const row = 'Freight index, weekly | 2026-02-27: 1,412 | 2026-03-06: 1,377 | Change: -2.5%';
    const sources = [articleSource('a1', `${SENTENCE} ${row}`)];
    const { finished } = compose(
      [
        step({
          stepId: 's1',
          title: 'Drivers of freight rates',
          theme: 'drivers',
          sentences: [
            { text: row, source: 0, score: 1 },
            { text: SENTENCE, source: 0, score: 0.9 },
          ],
        }),
      ],
      sources,
    );
    expect(finished.markdown).toContain(SENTENCE.slice(0, 40));
    expect(finished.markdown).not.toContain(' | 2026-02-27');
  });
});
