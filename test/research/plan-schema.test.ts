import { describe, expect, it } from 'vitest';
import { checkPlanReply } from '../../server/research/openai-planner.ts';
import { buildPlanJsonSchema, createPlanValidator, type PlanStep } from '../../server/research/plan-schema.ts';

const validator = createPlanValidator();

const PLAN: PlanStep[] = [
  {
    id: 's1',
    title: 'Performance',
    query: 'Russell 2000 rally',
    tools: [{ name: 'compare', arguments: { symbols: ['RUT', 'GSPC'], from: '2026-05-22', to: '2026-08-21' } }],
  },
  {
    id: 's2',
    title: 'Volatility',
    query: 'small caps volatility',
    tools: [{ name: 'performance', arguments: { symbol: 'RUT', from: '2026-05-22', to: '2026-08-21' } }],
  },
  {
    id: 's3',
    title: 'Valuation',
    query: 'Russell 2000 forward P/E',
    tools: [{ name: 'valuation_gap', arguments: { a: { label: 'RUT P/E', value: 18 }, b: { label: 'SPX P/E', value: 31 } } }],
  },
  { id: 's4', title: 'Risks and opportunities', query: 'small caps risks', tools: [] },
];

function expectErrors(steps: unknown): string[] {
  const result = validator.validate(steps);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('plan validation', () => {
  it('accepts a plan and keeps its steps, ids and arguments as given', () => {
    expect(validator.validate(PLAN)).toEqual({ ok: true, steps: PLAN });
  });

  it('accepts the user reordering, editing, deleting and adding steps; an added step gets a free id', () => {
    const edited = [
      { ...PLAN[3]!, title: 'What could go wrong' },
      PLAN[0]!,
      { ...PLAN[2]!, tools: [{ name: 'valuation_gap', arguments: { a: { label: 'RUT P/E', value: 37 }, b: { label: 'SPX P/E', value: 26 } } }] },
      { title: 'Nasdaq', query: 'Nasdaq concentration', tools: [{ name: 'ytd', arguments: { symbol: 'IXIC' } }] },
    ];
    const result = validator.validate(edited);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.steps.map((step) => step.id)).toEqual(['s4', 's1', 's3', 'step-1']);
    expect(result.steps[0]!.title).toBe('What could go wrong');
    expect(result.steps[2]!.tools[0]!.arguments).toEqual({ a: { label: 'RUT P/E', value: 37 }, b: { label: 'SPX P/E', value: 26 } });
  });

  it('names the step and tool of an unknown tool and lists the tools there are', () => {
    const [error] = expectErrors([PLAN[0], PLAN[1], { ...PLAN[2]!, tools: [{ name: 'foo', arguments: {} }] }]);
    expect(error).toMatch(/^steps\[2\]\.tools\[0\]: unknown tool "foo"; tools: price_history, performance, .*valuation_gap/);
  });

  it("names the step, tool and field of bad arguments, in the tool schema's words", () => {
    const errors = expectErrors([
      PLAN[0],
      { ...PLAN[1]!, tools: [{ name: 'performance', arguments: { symbol: 'RUT', from: 'last week', to: '2026-08-21' } }] },
    ]);
    expect(errors).toEqual([expect.stringMatching(/^steps\[1\]\.tools\[0\] \(performance\): from: expected a date as YYYY-MM-DD/)]);
    const gap = expectErrors([{ ...PLAN[2]!, tools: [{ name: 'valuation_gap', arguments: { a: { label: 'x', value: -1 }, b: { label: 'y', value: 3 } } }] }]);
    expect(gap[0]).toMatch(/^steps\[0\]\.tools\[0\] \(valuation_gap\): a\.value: value must be greater than 0/);
  });

  it('rejects an empty plan and one with more than eight steps', () => {
    expect(expectErrors([])[0]).toMatch(/at least 1 step/);
    const nine = Array.from({ length: 9 }, (_, index) => ({ title: `Step ${index}`, query: 'small caps', tools: [] }));
    expect(expectErrors(nine)[0]).toMatch(/at most 8 steps/);
    expect(validator.validate(nine.slice(0, 8)).ok).toBe(true);
  });

  it('rejects empty titles, over-long queries, more than four tools, unknown fields and repeated ids', () => {
    expect(expectErrors([{ title: ' ', query: 'q', tools: [] }])[0]).toBe('steps[0].title: title is empty');
    expect(expectErrors([{ title: 't', query: 'q'.repeat(501), tools: [] }])[0]).toMatch(/^steps\[0\]\.query: query must be at most 500/);
    const five = Array.from({ length: 5 }, () => ({ name: 'ytd', arguments: { symbol: 'RUT' } }));
    expect(expectErrors([{ title: 't', query: 'q', tools: five }])[0]).toMatch(/^steps\[0\]\.tools: at most 4 tools/);
    expect(expectErrors([{ title: 't', query: 'q', tools: [], note: 'x' }])[0]).toMatch(/^steps\[0\]/);
    expect(expectErrors([PLAN[0], { ...PLAN[1]!, id: 's1' }])).toEqual(['steps[1].id: "s1" is used by an earlier step']);
  });

  it("gives the model a JSON Schema whose tool names are the registry's", () => {
    const schema = buildPlanJsonSchema(validator.toolNames) as any;
    expect(schema.properties.steps.maxItems).toBe(8);
    expect(schema.properties.steps.items.properties.tools.items.properties.name.enum).toEqual(validator.toolNames);
  });

  it('reads a model reply: fenced JSON is accepted, prose and invalid plans come back as errors to send', () => {
    const reply = JSON.stringify({ steps: PLAN.map(({ title, query, tools }) => ({ title, query, tools })) });
    expect(checkPlanReply(`\`\`\`json\n${reply}\n\`\`\``, validator)).toMatchObject({
      steps: [{ id: 'step-1' }, { id: 'step-2' }, { id: 'step-3' }, { id: 'step-4' }],
    });
    expect(checkPlanReply('Here is a plan: step one…', validator)).toEqual({ errors: ['the reply is not valid JSON'] });
    expect(checkPlanReply('[1, 2]', validator)).toEqual({ errors: ['the reply must be an object with a "steps" array'] });
    expect(checkPlanReply(JSON.stringify({ steps: [{ title: 't', query: 'q', tools: [{ name: 'foo', arguments: {} }] }] }), validator)).toEqual({
      errors: [expect.stringMatching(/unknown tool "foo"/)],
    });
  });
});
