import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { ChatService } from '../../server/chat/chat-service.ts';
import type { Citation } from '../../server/chat/types.ts';
import { openEventStream, wantsEventStream } from '../../server/sse.ts';

/**
 * A stand-in for the deep-research router while the real one is being built, following the
 * contract (`POST /plan`, `POST /run` with JSON or SSE). Each step is answered by the real offline
 * chat service, so the report cites real passages and computed figures; only the planning is
 * scripted.
 */
const StepSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  query: z.string().min(1),
  tools: z.array(z.object({ name: z.string(), arguments: z.unknown() })).default([]),
});
const PlanBodySchema = z.object({ question: z.string().trim().min(1) });
const RunBodySchema = z.union([
  z.object({ planId: z.string(), steps: z.array(StepSchema).optional() }),
  z.object({ question: z.string().trim().min(1), autoAccept: z.literal(true) }),
]);

type Step = z.infer<typeof StepSchema>;

function planSteps(question: string): Step[] {
  return [
    {
      id: 's1',
      title: 'Price performance',
      query: 'How much did the Russell 2000 gain from December 1, 2025 to January 23, 2026?',
      tools: [{ name: 'performance', arguments: { symbol: 'RUT', from: '2025-12-01', to: '2026-01-23' } }],
    },
    { id: 's2', title: 'Valuation', query: 'What P/E premium does the S&P 500 carry over the Russell 2000?', tools: [] },
    { id: 's3', title: 'Risks', query: `What are the risks? (${question.slice(0, 80)})`, tools: [] },
  ];
}

export function createScriptedResearchRouter(deps: { chat: ChatService }): Router {
  const plans = new Map<string, { question: string; steps: Step[] }>();
  const router = Router();

  router.post('/plan', (request, response) => {
    const { question } = PlanBodySchema.parse(request.body);
    const planId = `plan-${plans.size + 1}`;
    const steps = planSteps(question);
    plans.set(planId, { question, steps });
    response.json({ planId, question, steps });
  });

  router.post('/run', async (request, response) => {
    const body = RunBodySchema.parse(request.body);
    let question: string;
    let steps: Step[];
    if ('planId' in body) {
      const plan = plans.get(body.planId);
      if (!plan) throw new AppError('not_found', `No plan ${body.planId}.`);
      question = plan.question;
      steps = body.steps ?? plan.steps;
    } else {
      question = body.question;
      steps = planSteps(question);
    }
    const streaming = wantsEventStream(request.headers.accept);
    const stream = streaming ? openEventStream(response) : undefined;
    stream?.send('plan', { planId: 'planId' in body ? body.planId : 'auto', question, steps });

    const citations: Citation[] = [];
    const sections: { heading: string; markdown: string }[] = [];
    for (const step of steps) {
      stream?.send('step', { id: step.id, status: 'started' });
      const answer = await deps.chat.ask({ message: step.query }, { signal: new AbortController().signal });
      for (const call of answer.toolCalls) stream?.send('tool', { name: call.name, arguments: call.arguments, result: call.result });
      const offset = citations.length;
      citations.push(...answer.citations.map((citation) => ({ ...citation, n: citation.n + offset })));
      const body = answer.answer
        .split('\n')
        .filter((line) => !/^\*For information only/.test(line))
        .join('\n')
        .trim()
        .replace(/\[(\d+)\]/g, (_match, n: string) => `[${Number(n) + offset}]`);
      sections.push({ heading: step.title || step.query, markdown: body });
      stream?.send('step', { id: step.id, status: 'done', findings: `${answer.citations.length} sources found.` });
    }
    const title = `Research: ${question}`;
    const markdown = sections.map((section) => `## ${section.heading}\n\n${section.markdown}`).join('\n\n');
    const report = { title, markdown, sections, citations };
    if (!stream) {
      response.json({ report });
      return;
    }
    for (let index = 0; index < markdown.length; index += 40) stream.send('token', { text: markdown.slice(index, index + 40) });
    stream.send('done', { report });
    stream.end();
  });
  return router;
}
