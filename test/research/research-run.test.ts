import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { createApp } from '../../server/app.ts';
import { createPlanStore } from '../../server/research/plan-store.ts';
import type { ResearchService } from '../../server/research/research-service.ts';
import type { RunResponse } from '../../server/research/types.ts';
import { createResearchRouter } from '../../server/routes/research.ts';
import { createToolRegistry, type ToolRegistry } from '../../server/tools/registry.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { buildSampleKnowledgeBase, createTestResearch, HEADINGS, markersOutsideReferences, parseEvents, QUESTION_COMPARE, QUESTION_RALLY } from './helpers.ts';

const tempDir = useTempDirs();
const start = useApp();
let kb: EmbeddedStore;
let embedder: Embedder;
let research: ResearchService;
const reports = new Map<string, RunResponse>();

beforeAll(async () => {
  ({ kb, embedder } = await buildSampleKnowledgeBase(join(tempDir(), 'index')));
  research = createTestResearch({ kb, embedder });
  for (const question of [QUESTION_RALLY, QUESTION_COMPARE]) {
    reports.set(question, await research.run(research.prepareRun({ question, autoAccept: true }), { signal: new AbortController().signal }));
  }
}, 60_000);

function boot(service: ResearchService = research) {
  return start(createApp({ kb, embedder, llm: { mode: 'offline' }, routers: [{ path: '/research', router: createResearchRouter({ research: service }) }] }));
}

describe.each([QUESTION_RALLY, QUESTION_COMPARE])('offline report for "%s"', (question) => {
  it('has a title, the five sections of the seed analyses in order, and the disclaimer', () => {
    const { report, mode } = reports.get(question)!;
    expect(mode).toBe('offline');
    expect(report.sections.map((section) => section.heading)).toEqual(HEADINGS);
    expect(report.markdown.startsWith(`# ${report.title}\n`)).toBe(true);
    // Titled from the plan: what was measured, the themes covered and the period, not the question.
    expect(report.title).toMatch(/^Russell 2000 vs S&P 500: [a-z ,]+, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/);
    expect(report.title).not.toContain(question);
    for (const section of report.sections) expect(section.markdown.length).toBeGreaterThan(20);
    expect(report.markdown).toMatch(/not investment advice/);
  });

  it('cites every figure: each [n] resolves to exactly one reference, numbered from 0 without gaps or repeats', () => {
    const { report, grounding } = reports.get(question)!;
    const markers = markersOutsideReferences(report.markdown);
    expect(markers.length).toBeGreaterThan(10);
    expect(report.citations.map((citation) => citation.n)).toEqual(report.citations.map((_, index) => index));
    const references = report.sections.at(-1)!.markdown.split('\n');
    expect(references.map((line) => Number(/^\[(\d+)\]/.exec(line)?.[1]))).toEqual(report.citations.map((citation) => citation.n));
    for (const n of new Set(markers)) expect(references.filter((line) => line.startsWith(`[${n}] `))).toHaveLength(1);
    expect(new Set(markers).size).toBe(report.citations.length);
    expect(grounding.figures).toBeGreaterThan(20);
    expect(grounding.grounded).toBe(grounding.figures);
    expect(grounding.removed).toEqual([]);
  });

  it('deduplicates references: one per article, one per computation; articles carry their dates, computations their parameters', () => {
    const { report, toolCalls } = reports.get(question)!;
    const articles = report.citations.filter((citation) => citation.kind === 'article');
    const data = report.citations.filter((citation) => citation.kind === 'data');
    expect(new Set(articles.map((citation) => citation.articleId)).size).toBe(articles.length);
    expect(new Set(data.map((citation) => `${citation.tool}:${JSON.stringify(citation.arguments)}`)).size).toBe(data.length);
    expect(data.length).toBe(new Set(toolCalls.filter((call) => !call.error).map((call) => `${call.name}:${JSON.stringify(call.arguments)}`)).size);
    const references = report.sections.at(-1)!.markdown;
    for (const citation of articles) expect(references).toContain(`[${citation.n}] *${citation.title}*, `);
    for (const citation of articles.filter((entry) => entry.published))
      expect(references).toMatch(new RegExp(`\\[${citation.n}\\] .*published ${citation.published}`));
    expect(references).toMatch(
      /\] Computed: compare of Russell 2000 \(prices\/RUT\.csv\), S&P 500 \(prices\/GSPC\.csv\), \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(\d+ sessions\); inputs: symbols RUT, GSPC; from \d{4}-\d\d-\d\d; to \d{4}-\d\d-\d\d;/,
    );
    // One reference list, readable: no raw JSON arguments anywhere in the report.
    expect(report.markdown).not.toMatch(/arguments `|\{"/);
    expect(report.markdown.match(/^\[0\] /gm)).toHaveLength(1);
    expect(report.markdown).not.toMatch(/none found|no specific (?:risk|opportunity)/i);
  });

  it('names the small-cap P/E conflict and shows a cheap reading (18x or 20x) and 37x side by side with their sources', () => {
    const { report, conflicts } = reports.get(question)!;
    const rut = conflicts.find((conflict) => conflict.metric === 'Russell 2000 P/E multiple');
    const values = rut?.values.map((entry) => entry.value) ?? [];
    expect(values).toContain('37x');
    expect(values.some((value) => value === '18x' || value === '20x')).toBe(true);
    expect(rut?.values.find((entry) => entry.value === '37x')?.basis).toBe('includes-loss-makers');
    for (const entry of rut!.values) expect(entry.citations.length).toBeGreaterThan(0);
    expect(report.markdown).toMatch(
      /\*\*Conflicting figures: Russell 2000 P\/E multiple\.\*\* The sources do not agree, and this report does not pick one: .*(?:18|20)x \[\d+\].*37x \[\d+\]/,
    );
    // The difference is explained, not just listed: the 37x reading is labelled as counting loss-makers.
    expect(report.markdown).toMatch(/37x (?:\[\d+\])+ \(loss-making companies included\)/);
  });
});

describe('research runs', () => {
  it("runs the rally plan's tools: RUT vs GSPC, volatility of each, and the valuation gap on multiples an article states", () => {
    const { toolCalls, steps } = reports.get(QUESTION_RALLY)!;
    expect(toolCalls.map((call) => call.name)).toEqual(['compare', 'performance', 'performance', 'valuation_gap', 'valuation_gap']);
    expect(toolCalls.every((call) => !call.error)).toBe(true);
    expect(toolCalls[0]!.arguments).toEqual({ symbols: ['RUT', 'GSPC'], from: '2026-05-22', to: '2026-08-21' });
    expect(toolCalls.filter((call) => call.name === 'valuation_gap').map((call) => call.arguments)).toContainEqual({
      a: { label: 'Russell 2000 P/E', value: 18 },
      b: { label: 'S&P 500 P/E', value: 31 },
    });
    for (const step of steps) {
      expect(step.status).toBe('done');
      expect(step.findings.citations!.length).toBeGreaterThan(0);
    }
    expect(steps[0]!.findings.computations[0]!.summary).toMatch(/^From 2026-05-22 to 2026-08-21: Russell 2000/);
  });

  it('words the computations with the chat’s price templates: the comparison led by its spread, each drawdown stated once with its dates', () => {
    const { markdown } = reports.get(QUESTION_RALLY)!.report;
    expect(markdown).toMatch(
      /The Russell 2000 \(\^RUT, index level\) outperformed the S&P 500 \(\^GSPC, index level\) by 3\.06 percentage points from 2026-05-22 to 2026-08-21/,
    );
    expect(markdown).toMatch(/with a maximum drawdown of 3\.90% \(2026-06-30 to 2026-07-29\) \[\d+\]\./);
    // Once in the analysis (the summary table lists it again, as a table does).
    expect(markdown.split('Key Information Summary')[0]!.match(/3\.90%/g)).toHaveLength(1);
  });

  it('is deterministic offline: the same question gives the same report', async () => {
    const again = await research.run(research.prepareRun({ question: QUESTION_RALLY, autoAccept: true }), { signal: new AbortController().signal });
    expect(again.report.markdown).toBe(reports.get(QUESTION_RALLY)!.report.markdown);
  });

  it("runs an edited plan: a deleted step is not searched, an added step's tool runs, the new order holds", async () => {
    const queries: string[] = [];
    const watched: Embedder = {
      ...embedder,
      embedQuery: (text, signal) => (queries.push(text), embedder.embedQuery(text, signal)),
      embedDocuments: (texts, signal) => embedder.embedDocuments(texts, signal),
    };
    const service = createTestResearch({ kb, embedder: watched });
    const plan = await service.plan(QUESTION_RALLY, { signal: new AbortController().signal });
    const deleted = plan.steps.find((step) => step.title === 'Drivers and flows')!;
    const edited = [
      plan.steps.at(-1)!,
      ...plan.steps.slice(0, -1).filter((step) => step !== deleted),
      {
        title: 'Nasdaq so far this year',
        query: 'Nasdaq concentration in AI mega-caps',
        tools: [{ name: 'ytd', arguments: { symbol: 'IXIC', asOf: '2026-08-21' } }],
      },
    ];
    queries.length = 0;
    const result = await service.run(service.prepareRun({ planId: plan.planId, steps: edited }), { signal: new AbortController().signal });
    expect(result.steps.map((step) => step.title)).toEqual(edited.map((step) => step.title));
    expect(queries.some((text) => text.startsWith(deleted.query))).toBe(false);
    expect(queries.some((text) => text.startsWith('Nasdaq concentration in AI mega-caps'))).toBe(true);
    const added = result.steps.at(-1)!;
    expect(added.id).toBe('step-1');
    expect(result.toolCalls.find((call) => call.name === 'ytd')).toMatchObject({ stepId: 'step-1', arguments: { symbol: 'IXIC', asOf: '2026-08-21' } });
    expect(result.report.citations.some((citation) => citation.tool === 'ytd')).toBe(true);
    expect(result.notes).toContain('Running the edited plan.');
  });

  it('records a failing tool in its step and carries on with the other steps', async () => {
    const plan = await research.plan(QUESTION_RALLY, { signal: new AbortController().signal });
    const steps = [
      { ...plan.steps[0]!, tools: [{ name: 'performance', arguments: { symbol: 'ZZZZ', from: '2026-05-22', to: '2026-08-21' } }] },
      ...plan.steps.slice(1),
    ];
    const result = await research.run(research.prepareRun({ planId: plan.planId, steps }), { signal: new AbortController().signal });
    expect(result.steps[0]!.findings.errors).toEqual([
      { tool: 'performance', code: 'bad_request', message: expect.stringMatching(/No price data for "ZZZZ"/) },
    ]);
    expect(result.steps.every((step) => step.status === 'done')).toBe(true);
    expect(result.report.markdown).toMatch(/_performance could not be computed: No price data for "ZZZZ"/);
    expect(result.toolCalls.filter((call) => !call.error).length).toBeGreaterThan(2);
  });

  it('stops at the step limit and at the time limit, reports the skipped steps and still writes the report', async () => {
    const limited = createTestResearch({ kb, embedder, limits: { maxSteps: 2 } });
    const capped = await limited.run(limited.prepareRun({ question: QUESTION_RALLY, autoAccept: true }), { signal: new AbortController().signal });
    expect(capped.steps.map((step) => step.status)).toEqual(['done', 'done', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(capped.steps[2]!.reason).toBe('step limit (2) reached');
    expect(capped.report.sections.map((section) => section.heading)).toEqual(HEADINGS);
    expect(capped.report.markdown).toMatch(/_Some steps were not run: “Valuation: /);

    // The clock jumps past the time limit while the first step's tool runs.
    let clock = 0;
    const base = createToolRegistry();
    const slowRegistry: ToolRegistry = { ...base, run: async (name, args, context) => ((clock += 10 * 60_000), base.run(name, args, context)) };
    const timed = createTestResearch({ kb, embedder, registry: slowRegistry, now: () => clock, store: createPlanStore({ now: () => 0 }) });
    const late = await timed.run(timed.prepareRun({ question: QUESTION_RALLY, autoAccept: true }), { signal: new AbortController().signal });
    expect(late.steps[0]!.status).toBe('done');
    expect(late.steps.slice(1).every((step) => step.status === 'skipped' && step.reason === 'time limit reached before this step')).toBe(true);
    expect(late.report.sections.map((section) => section.heading)).toEqual(HEADINGS);
  });
});

describe('research routes', () => {
  it('returns a plan, then runs it by id as JSON', async () => {
    const app = await boot();
    const plan = await app.json('/api/research/plan', { body: { question: QUESTION_COMPARE } });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ question: QUESTION_COMPARE, mode: 'offline', planId: expect.stringMatching(/^plan_/) });
    expect(plan.body.steps[0]).toMatchObject({
      id: 's1',
      title: expect.any(String),
      query: expect.any(String),
      tools: [{ name: 'compare', arguments: { symbols: ['RUT', 'GSPC'] } }],
    });
    const run = await app.json('/api/research/run', { body: { planId: plan.body.planId } });
    expect(run.status).toBe(200);
    expect(run.body.report.sections.map((section: { heading: string }) => section.heading)).toEqual(HEADINGS);
    expect(run.body.report.citations[0]).toMatchObject({
      n: 0,
      kind: expect.stringMatching(/article|data/),
      title: expect.any(String),
      snippet: expect.any(String),
    });
  });

  it('streams plan → step started/tool/done … → progress → token … → done, and the tokens are the report', async () => {
    const app = await boot();
    const response = await fetch(`${app.url}/api/research/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: QUESTION_RALLY, autoAccept: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseEvents(await response.text());
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('plan');
    expect(names.at(-1)).toBe('done');
    expect(names.slice(1, 4)).toEqual(['step', 'tool', 'step']);
    expect(events[1]!.data).toMatchObject({ id: 's1', status: 'started' });
    expect(events[3]!.data).toMatchObject({ id: 's1', status: 'done', findings: { computations: [{ tool: 'compare' }] } });
    const stepEvents = events.filter((event) => event.event === 'step');
    expect(stepEvents.map((event) => `${event.data.id}:${event.data.status}`)).toEqual(
      events[0]!.data.steps.flatMap((step: { id: string }) => [`${step.id}:started`, `${step.id}:done`]),
    );
    expect(names.indexOf('token')).toBeGreaterThan(names.lastIndexOf('step'));
    expect(names.indexOf('progress')).toBeLessThan(names.indexOf('token'));
    const done = events.at(-1)!.data;
    expect(
      events
        .filter((event) => event.event === 'token')
        .map((event) => event.data.text)
        .join(''),
    ).toBe(done.report.markdown);
    expect(done.report.markdown).toBe(reports.get(QUESTION_RALLY)!.report.markdown);
  });

  it('stops the run when the client disconnects', async () => {
    let release!: () => void;
    const cancelled = new Promise<void>((resolve) => (release = resolve));
    const base = createToolRegistry();
    let calls = 0;
    const hangingRegistry: ToolRegistry = {
      ...base,
      run: (_name, _args, context) => {
        calls += 1;
        return new Promise((_resolve, reject) => context.signal!.addEventListener('abort', () => (reject(new Error('aborted')), release())));
      },
    };
    const service = createTestResearch({ kb, embedder, registry: hangingRegistry });
    let outcome: Promise<RunResponse> | undefined;
    const app = await boot({ ...service, run: (prepared, options) => (outcome = service.run(prepared, options)) });
    const client = new AbortController();
    const response = await fetch(`${app.url}/api/research/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ question: QUESTION_RALLY, autoAccept: true }),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    let seen = '';
    while (!seen.includes('"status":"started"')) seen += new TextDecoder().decode((await reader.read()).value);
    client.abort();
    await cancelled;
    await expect(outcome).rejects.toMatchObject({ code: 'timeout', message: 'The research run was cancelled.' });
    expect(calls).toBe(1);
  });

  it('answers 404 for an unknown plan and 400 with per-step errors for an invalid edit, before streaming', async () => {
    const app = await boot();
    const missing = await app.json('/api/research/run', { body: { planId: 'plan_doesnotexist' }, headers: { accept: 'text/event-stream' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/expired/) });
    const plan = await app.json('/api/research/plan', { body: { question: QUESTION_RALLY } });
    const bad = await app.json('/api/research/run', {
      body: {
        planId: plan.body.planId,
        steps: [
          { title: 'x', query: 'y', tools: [{ name: 'foo', arguments: {} }] },
          { title: 'z', query: 'w', tools: [{ name: 'ytd', arguments: { symbol: 'RUT', asOf: 'soon' } }] },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^The edited plan is invalid: steps\[0\]\.tools\[0\]: unknown tool "foo"; tools: .*; steps\[1\]\.tools\[0\] \(ytd\): asOf: expected a date/,
    );
  });

  it('rejects bad bodies with 400 and a message for the shape meant', async () => {
    const app = await boot();
    for (const [path, body, message] of [
      ['/api/research/plan', {}, /question/],
      ['/api/research/plan', { question: '' }, /question must not be empty/],
      ['/api/research/run', {}, /Send \{"planId"/],
      ['/api/research/run', { question: 'Is it sustainable?' }, /autoAccept/],
      ['/api/research/run', { question: 'Is it sustainable?', autoAccept: false }, /autoAccept must be true/],
      ['/api/research/run', { planId: '../x' }, /planId must be/],
    ] as const) {
      const response = await app.json(path, { body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
  });
});
