import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { promptVersion, renderPrompt, type PromptLibrary } from '../prompts.ts';
import type { ToolListing } from '../tools/registry.ts';
import type { DraftPlan, PlanningContext } from './offline-planner.ts';
import { buildPlanJsonSchema, PLAN_LIMITS, type PlanStep, type PlanValidator } from './plan-schema.ts';
import { OPENAI_RESEARCH_DEFAULTS, requestCompletion, type ResearchModel, type TokenBudget } from './openai-client.ts';

/**
 * The generative planner: the model writes the plan as structured output (JSON Schema), the code
 * validates it with the same schema and tool argument checks as an edited plan, and a plan that
 * fails gets one retry with the validation errors. A second failure throws; the service then uses
 * the offline plan and says so.
 */
export interface GenerativePlanner {
  plan(input: {
    question: string;
    context: PlanningContext;
    draft: DraftPlan;
    signal: AbortSignal;
    budget: TokenBudget;
  }): Promise<{ steps: PlanStep[]; promptId: string; attempts: number }>;
}

export interface OpenAIPlannerDeps extends ResearchModel {
  prompts: PromptLibrary;
  validator: PlanValidator;
  tools: ToolListing[];
}

const ReplySchema = z.object({ steps: z.unknown() });

export function createOpenAIPlanner(deps: OpenAIPlannerDeps): GenerativePlanner {
  const limits = { ...OPENAI_RESEARCH_DEFAULTS, ...deps.limits };
  const promptId = promptVersion(deps.prompts, 'research.plan');
  const responseFormat = {
    type: 'json_schema' as const,
    json_schema: { name: 'research_plan', strict: false, schema: buildPlanJsonSchema(deps.validator.toolNames) },
  };
  const toolText = deps.tools.map((tool) => `- ${tool.name}: ${tool.description}\n  parameters: ${JSON.stringify(tool.parameters)}`).join('\n');

  return {
    async plan(input) {
      const messages: ChatCompletionMessageParam[] = [
        {
          role: 'system',
          content: renderPrompt(deps.prompts, 'research.plan', {
            today: input.context.today,
            asOf: input.context.dataEnd ?? input.context.asOf,
            maxSteps: String(PLAN_LIMITS.maxSteps),
            tools: toolText,
          }),
        },
        { role: 'user', content: buildPlannerTurn(input.question, input.context, input.draft) },
      ];
      let lastErrors: string[] = [];
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const { content } = await requestCompletion(deps, {
          messages,
          maxTokens: limits.planMaxTokens,
          responseFormat,
          budget: input.budget,
          signal: input.signal,
        });
        const checked = checkPlanReply(content, deps.validator);
        if ('steps' in checked) return { steps: checked.steps, promptId, attempts: attempt };
        lastErrors = checked.errors;
        messages.push({ role: 'assistant', content });
        messages.push({ role: 'user', content: `That plan is invalid:\n- ${lastErrors.join('\n- ')}\nReply with the corrected JSON object only.` });
      }
      throw new AppError('upstream_unavailable', `The language model's plan failed validation twice (${lastErrors.slice(0, 3).join('; ')}).`);
    },
  };
}

/** Parses and validates the model's reply (pure): the steps, or readable errors to send back. */
export function checkPlanReply(content: string, validator: PlanValidator): { steps: PlanStep[] } | { errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { errors: ['the reply is not valid JSON'] };
  }
  const reply = ReplySchema.safeParse(json);
  if (!reply.success) return { errors: ['the reply must be an object with a "steps" array'] };
  const validation = validator.validate(reply.data.steps);
  return validation.ok ? { steps: validation.steps } : { errors: validation.errors };
}

/** The question with the planning notes and the rule-based draft, as data for the model. */
export function buildPlannerTurn(question: string, context: PlanningContext, draft: DraftPlan): string {
  const valuations = (context.valuations ?? []).map(
    (pair) =>
      `${pair.a.name} ${pair.a.value}x vs ${pair.b.name} ${pair.b.value}x (stated in "${pair.article.title}"${pair.article.published ? `, ${pair.article.published}` : ''})`,
  );
  return [
    `Question: ${question.trim()}`,
    'Planning notes:',
    ...draft.notes.map((note) => `- ${note}`),
    valuations.length > 0
      ? `- P/E multiples the articles state: ${valuations.join('; ')}.`
      : '- The articles state no P/E pair for these indexes; do not plan valuation_gap.',
    'Rule-based draft (JSON):',
    JSON.stringify({ steps: draft.steps.map(({ title, query, tools }) => ({ title, query, tools })) }),
  ].join('\n');
}
