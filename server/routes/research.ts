import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { ConversationIdSchema, type ConversationStore } from '../chat/conversations.ts';
import type { ResearchService } from '../research/research-service.ts';
import type { ResearchEvent, RunResponse } from '../research/types.ts';
import { openEventStream, streamWork, wantsEventStream } from '../sse.ts';

const QuestionSchema = z.string().trim().min(1, 'question must not be empty').max(2_000, 'question must be at most 2,000 characters');

export const PlanBodySchema = z.object({ question: QuestionSchema }).strict();

/** Either a stored plan (optionally with the user's edited steps) or a question to plan and run at once. */
export const RunBodySchema = z.union([
  z
    .object({
      planId: z
        .string()
        .trim()
        .regex(/^[\w-]{1,80}$/, 'planId must be 1–80 letters, digits, - or _'),
      // Checked against the plan schema and each tool's arguments by the service, with per-step errors.
      steps: z.array(z.unknown()).optional(),
      /** The conversation the report belongs to (stored with it, so a reload shows it). */
      conversationId: ConversationIdSchema.optional(),
    })
    .strict(),
  z
    .object({
      question: QuestionSchema,
      autoAccept: z.literal(true, { message: 'autoAccept must be true to run without reviewing a plan' }),
      conversationId: ConversationIdSchema.optional(),
    })
    .strict(),
]);

/**
 * `POST /api/research/plan` → a plan to review; `POST /api/research/run` → the report, as JSON or,
 * with `Accept: text/event-stream`, as events: plan, step, tool, progress, token, done (or error).
 * The client hanging up cancels the run.
 */
export function createResearchRouter(deps: { research: ResearchService; conversations?: ConversationStore }): Router {
  const router = Router();

  router.post('/plan', async (request, response) => {
    const body = PlanBodySchema.parse(requireBody(request.body, '{"question": "..."}'));
    const aborter = abortOnClose(response);
    response.json(await deps.research.plan(body.question, { signal: aborter.signal }));
  });

  router.post('/run', async (request, response) => {
    const parsed = RunBodySchema.safeParse(requireBody(request.body, '{"planId": "...", "steps": [...]} or {"question": "...", "autoAccept": true}'));
    if (!parsed.success) throw new AppError('bad_request', describeRunBodyError(request.body, parsed.error));
    // Unknown plans and invalid edits fail here, as a plain 4xx, before any event is sent.
    const { conversationId: requestedConversation, ...runBody } = parsed.data;
    const prepared = deps.research.prepareRun(runBody);
    const aborter = abortOnClose(response);
    const conversationId = deps.conversations?.open(requestedConversation).id;
    // The finished report joins its conversation before the client hears of it.
    const remember = async (result: RunResponse): Promise<RunResponse & { conversationId?: string }> => {
      if (!deps.conversations || !conversationId) return result;
      await deps.conversations.append(conversationId, {
        question: result.question,
        answer: result.report.title,
        shown: {
          mode: result.mode,
          answer: result.report.markdown,
          citations: result.report.citations.map((citation) => ({ ...citation })),
          toolCalls: [],
          grounding: result.grounding,
          report: {
            ...result.report,
            sections: result.report.sections.map((section) => ({ ...section })),
            citations: result.report.citations.map((citation) => ({ ...citation })),
          },
        },
      });
      return { ...result, conversationId };
    };

    if (!wantsEventStream(request.headers.accept)) {
      response.json(await remember(await deps.research.run(prepared, { signal: aborter.signal })));
      return;
    }
    const stream = openEventStream(response);
    const forward = (event: ResearchEvent) => {
      if (event.type === 'done') stream.send('done', event.response);
      else if (event.type === 'plan') stream.send('plan', event.plan);
      else {
        const { type, ...data } = event;
        stream.send(type, data);
      }
    };
    await streamWork(stream, async () => remember(await deps.research.run(prepared, { signal: aborter.signal, onEvent: forward })));
  });
  return router;
}

function requireBody(body: unknown, shape: string): unknown {
  if (body === undefined) throw new AppError('bad_request', `Send a JSON body: ${shape}.`);
  return body;
}

function abortOnClose(response: import('express').Response): AbortController {
  const aborter = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) aborter.abort();
  });
  return aborter;
}

/** A union's errors are hard to read; say what is wrong for the shape the client evidently meant. */
function describeRunBodyError(body: unknown, error: z.ZodError): string {
  const candidate = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const schema = 'planId' in candidate ? RunBodySchema.options[0] : 'question' in candidate ? RunBodySchema.options[1] : undefined;
  const issues = schema ? (schema.safeParse(body).error?.issues ?? error.issues) : error.issues;
  if (!schema) return 'Send {"planId": "...", "steps"?: [...]} to run a plan, or {"question": "...", "autoAccept": true} to plan and run at once.';
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
