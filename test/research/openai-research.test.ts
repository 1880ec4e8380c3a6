import { resolve } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { createOpenAIPlanner } from '../../server/research/openai-planner.ts';
import { createOpenAIWriter } from '../../server/research/openai-writer.ts';
import { createPlanValidator } from '../../server/research/plan-schema.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { errorReply, startFakeOpenAI, type FakeOpenAI, type FakeReply, type RecordedRequest, type ScriptStep } from '../helpers/fake-openai-server.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { createTestResearch, HEADINGS, markersOutsideReferences, prompts, QUESTION_RALLY } from './helpers.ts';

const tempDir = useTempDirs();
const embedder = createFakeEmbedder();
let kb: EmbeddedStore;

// Our own short articles: a valuation disagreement and a rates angle, enough for every step.
function article(title: string, published: string, paragraphs: string[]): ParsedArticle {
  return { title, text: paragraphs.join('\n\n'), sections: [{ paragraphs }], published, tags: [], tickers: ['RUT'], references: [] };
}
const ARTICLES = [
  article('Small caps open the year ahead', '2026-01-20', [
    'The Russell 2000 trades at about 18 times forward earnings, while the S&P 500 sits near 31 times on the same measure.',
    'Small caps rallied in January as investors priced in rate cuts and a recovery in earnings.',
  ]),
  article('Counting the loss-makers', '2026-01-24', [
    'Counting the companies that lose money, the Russell 2000 multiple rises to about 37 times forward earnings, dearer than large caps.',
    'Rates matter more for small caps because much of their debt floats, so a Federal Reserve on hold is a risk to the rally.',
  ]),
];

beforeAll(async () => {
  kb = await EmbeddedStore.open({ indexDir: resolve(tempDir(), 'index'), embedder: { id: embedder.id, dim: embedder.dim } });
  for (const parsed of ARTICLES) {
    const plan = await kb.planUpsert(parsed);
    const passages = parsed.sections.flatMap((section) => section.paragraphs.map((text) => ({ text })));
    await kb.upsert(plan, parsed, passages, await embedder.embedDocuments(passages.map((passage) => passage.text)));
  }
});

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function completion(content: string): FakeReply {
  return {
    kind: 'json',
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_769_904_000,
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 900, completion_tokens: 300, total_tokens: 1_200 },
    },
  };
}

const VALID_PLAN = JSON.stringify({
  steps: [
    {
      title: 'Small caps against large caps',
      query: 'Russell 2000 rally',
      tools: [{ name: 'compare', arguments: { symbols: ['RUT', 'GSPC'], from: '2025-11-03', to: '2026-01-23' } }],
    },
    {
      title: 'Valuation',
      query: 'Russell 2000 forward earnings multiple',
      tools: [{ name: 'valuation_gap', arguments: { a: { label: 'Russell 2000 P/E', value: 18 }, b: { label: 'S&P 500 P/E', value: 31 } } }],
    },
    { title: 'Risks and opportunities', query: 'rates risk small caps debt', tools: [] },
  ],
});

async function setup(script: ScriptStep[]) {
  const server = await startFakeOpenAI(script);
  servers.push(server);
  const client = new OpenAI({ apiKey: 'sk-test-research', baseURL: server.baseURL });
  const registry = createToolRegistry();
  const model = { client, model: 'fake-model' };
  const research = createTestResearch({
    kb,
    embedder,
    registry,
    generative: {
      planner: createOpenAIPlanner({ ...model, prompts, validator: createPlanValidator(), tools: registry.list() }),
      writer: createOpenAIWriter({ ...model, prompts }),
    },
  });
  return { server, research };
}

const signal = () => new AbortController().signal;
const userText = (request: RecordedRequest) =>
  (request.body.messages as { role: string; content: string }[])
    .filter((message) => message.role === 'user')
    .map((message) => message.content)
    .join('\n');

describe('generative planner', () => {
  it('asks for structured output, sends the validation error back once, and keeps the corrected plan', async () => {
    const { server, research } = await setup([completion('Sure! Here is my plan: first look at performance.'), completion(VALID_PLAN)]);
    const plan = await research.plan(QUESTION_RALLY, { signal: signal() });
    expect(plan.mode).toBe('openai');
    expect(plan.promptId).toBe('research.plan@1');
    expect(plan.steps.map((step) => step.title)).toEqual(['Small caps against large caps', 'Valuation', 'Risks and opportunities']);
    expect(plan.steps.map((step) => step.id)).toEqual(['step-1', 'step-2', 'step-3']);
    expect(plan.notes.at(-1)).toMatch(/first plan failed validation/);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'research_plan' } });
    expect(userText(server.requests[0]!)).toMatch(/P\/E multiples the articles state: Russell 2000 18x vs S&P 500 31x/);
    expect(userText(server.requests[1]!)).toMatch(/That plan is invalid:\n- the reply is not valid JSON/);
  });

  it("falls back to the offline plan, with a note, when the model's plan fails validation twice", async () => {
    const unknownTool = JSON.stringify({
      steps: [
        { title: 'x', query: 'y', tools: [{ name: 'crystal_ball', arguments: {} }] },
        { title: 'a', query: 'b', tools: [] },
        { title: 'c', query: 'd', tools: [] },
      ],
    });
    const { server, research } = await setup([completion(unknownTool), completion(unknownTool)]);
    const plan = await research.plan(QUESTION_RALLY, { signal: signal() });
    expect(server.requests).toHaveLength(2);
    expect(userText(server.requests[1]!)).toMatch(/steps\[0\]\.tools\[0\]: unknown tool "crystal_ball"/);
    expect(plan.mode).toBe('offline');
    expect(plan.steps[0]!.tools[0]).toMatchObject({ name: 'compare', arguments: { symbols: ['RUT', 'GSPC'] } });
    expect(plan.notes.at(-1)).toMatch(
      /^The language model could not plan this question \(The language model's plan failed validation twice \(steps\[0\]\.tools\[0\]: unknown tool "crystal_ball"/,
    );
  });
});

describe('generative writer', () => {
  it('writes the sections with [n] markers; the code drops bad markers and ungrounded figures, fills missing sections, names the conflict and writes the references', async () => {
    const writer = (request: RecordedRequest): FakeReply => {
      const text = userText(request);
      const computed = /- computed \[(\d+)\]: From/.exec(text)![1];
      const found = /- found \[(\d+)\]:/.exec(text)![1];
      // A model cites what it uses: here every passage it was shown, in one line of the analysis.
      const allFound = [...new Set([...text.matchAll(/- found \[(\d+)\]:/g)].map((match) => match[1]))].map((n) => `[${n}]`).join('');
      return completion(
        [
          '## Integrated Analysis',
          '### Small caps against large caps',
          `Small caps led the large caps over the period [${computed}]. The Russell 2000 gained 99.99% in those weeks [${computed}].`,
          `Articles tie the move to expected rate cuts [${found}][99].`,
          `The articles weigh valuation, rates and earnings ${allFound}.`,
          '## Risks & Opportunities',
          `- A Federal Reserve on hold is the main risk [${found}].`,
          '## Key Information Summary',
          `The comparison covers the sessions listed in the computation [${computed}].`,
          '## References',
          '[0] A source the model made up, 2031.',
        ].join('\n'),
      );
    };
    const { server, research } = await setup([completion(VALID_PLAN), writer]);
    const result = await research.run(research.prepareRun({ question: QUESTION_RALLY, autoAccept: true }), { signal: signal() });
    expect(server.requests).toHaveLength(2);
    expect(result.mode).toBe('openai');
    expect(result.promptIds).toEqual(['research.plan@1', 'research.write@1']);
    const { report, grounding } = result;
    expect(report.sections.map((section) => section.heading)).toEqual(HEADINGS);
    expect(grounding.removed).toEqual([expect.stringMatching(/^The Russell 2000 gained 99\.99% in those weeks \[\d+\]\.$/)]);
    expect(report.markdown).not.toContain('99.99');
    expect(report.markdown).not.toContain('[99]');
    expect(report.markdown).not.toContain('made up');
    expect(report.sections[1]!.markdown).toMatch(/^- \*\*/);
    expect(report.markdown).toMatch(/Conflicting figures: Russell 2000 P\/E multiple\.\*\* .*18x \[\d+\].*37x \[\d+\]/);
    const markers = new Set(markersOutsideReferences(report.markdown));
    expect([...markers].sort((a, b) => a - b)).toEqual(report.citations.map((citation) => citation.n));
    expect(report.sections.at(-1)!.markdown.split('\n')).toHaveLength(report.citations.length);
    expect(report.markdown).toMatch(/_Removed 1 statement\(s\) whose figures could not be verified/);
  });

  it('composes the report offline, with a note, when the writer fails', async () => {
    const { research } = await setup([
      completion(VALID_PLAN),
      errorReply(500, { headers: { 'retry-after-ms': '1' } }),
      errorReply(500, { headers: { 'retry-after-ms': '1' } }),
      errorReply(500, { headers: { 'retry-after-ms': '1' } }),
    ]);
    const result = await research.run(research.prepareRun({ question: QUESTION_RALLY, autoAccept: true }), { signal: signal() });
    expect(result.mode).toBe('offline');
    expect(result.fallback).toMatchObject({ from: 'openai', stage: 'write', reason: expect.stringMatching(/HTTP 500/) });
    expect(result.report.sections.map((section) => section.heading)).toEqual(HEADINGS);
    expect(result.report.markdown).toMatch(/_The language model was unavailable, so this report was composed offline/);
    expect(result.grounding.grounded).toBe(result.grounding.figures);
  });
});
