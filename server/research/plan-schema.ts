import { z } from 'zod';
import { formatZodError } from '../error-handler.ts';
import { sanitizeAnswer } from '../output/sanitize-answer.ts';
import { DEFAULT_TOOLS } from '../tools/registry.ts';
import type { ToolDefinition } from '../tools/types.ts';

/**
 * A research plan as the planners write it and the user edits it: 1–8 steps, each a title, the
 * query it searches, and up to four tool calls. One schema for both engines and for the edited
 * plan a client sends back; tool arguments are checked with the tool's own schema, so a plan that
 * validates here runs without argument errors.
 */
export const PLAN_LIMITS = {
  minSteps: 1,
  maxSteps: 8,
  maxToolsPerStep: 4,
  titleChars: 200,
  queryChars: 500,
};

export const StepIdSchema = z
  .string()
  .trim()
  .regex(/^[\w-]{1,40}$/, 'id must be 1–40 letters, digits, - or _');

export const PlannedToolCallSchema = z
  .object({
    name: z.string().trim().min(1, 'tool name is empty'),
    arguments: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type PlannedToolCall = z.infer<typeof PlannedToolCallSchema>;

/**
 * A title or query as one line of plain text: a model that obeys an injected instruction may write
 * images, HTML or links into its plan, and titles label streamed step events and report sections.
 * The output layer's rules (no link target at all here), then whitespace folded to single spaces.
 */
function toPlainLine(value: string): string {
  return sanitizeAnswer(value, { allowedUrls: new Set(), maxChars: PLAN_LIMITS.queryChars }).text.replace(/\s+/g, ' ').trim();
}

function plainLineSchema(field: 'title' | 'query', maxChars: number) {
  return z
    .string()
    .max(maxChars, `${field} must be at most ${maxChars} characters`)
    .transform(toPlainLine)
    .pipe(z.string().min(1, `${field} is empty`));
}

/** A step as received: the id may be missing on a step the user added. */
export const PlanStepInputSchema = z
  .object({
    id: StepIdSchema.optional(),
    title: plainLineSchema('title', PLAN_LIMITS.titleChars),
    query: plainLineSchema('query', PLAN_LIMITS.queryChars),
    tools: z.array(PlannedToolCallSchema).max(PLAN_LIMITS.maxToolsPerStep, `at most ${PLAN_LIMITS.maxToolsPerStep} tools per step`).default([]),
  })
  .strict();

export const PlanStepsInputSchema = z
  .array(PlanStepInputSchema)
  .min(PLAN_LIMITS.minSteps, `a plan needs at least ${PLAN_LIMITS.minSteps} step`)
  .max(PLAN_LIMITS.maxSteps, `a plan has at most ${PLAN_LIMITS.maxSteps} steps`);

export interface PlanStep {
  id: string;
  title: string;
  query: string;
  tools: PlannedToolCall[];
}

export type PlanValidation = { ok: true; steps: PlanStep[] } | { ok: false; errors: string[] };

export interface PlanValidator {
  validate(steps: unknown): PlanValidation;
  /** Checks one tool call: undefined when fine, else a readable reason without the step prefix. */
  checkTool(name: string, args: unknown): string | undefined;
  toolNames: string[];
}

/**
 * Builds the validator over a tool list (the registry's, by default). Errors name the step and the
 * tool: `steps[2].tools[0]: unknown tool "foo"; tools: …`, `steps[1].tools[0] (performance): from: …`.
 */
export function createPlanValidator(tools: readonly ToolDefinition[] = DEFAULT_TOOLS): PlanValidator {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const toolNames = [...byName.keys()];

  const checkTool = (name: string, args: unknown): string | undefined => {
    const tool = byName.get(name);
    if (!tool) return `unknown tool "${name}"; tools: ${toolNames.join(', ')}`;
    const parsed = tool.schema.safeParse(args ?? {});
    return parsed.success ? undefined : formatZodError(parsed.error);
  };

  return {
    toolNames,
    checkTool,
    validate(input) {
      const shape = PlanStepsInputSchema.safeParse(input);
      if (!shape.success) return { ok: false, errors: shape.error.issues.slice(0, 8).map(describeIssue) };
      const errors: string[] = [];
      shape.data.forEach((step, stepIndex) => {
        step.tools.forEach((call, toolIndex) => {
          const problem = checkTool(call.name, call.arguments);
          if (!problem) return;
          const where = `steps[${stepIndex}].tools[${toolIndex}]`;
          errors.push(byName.has(call.name) ? `${where} (${call.name}): ${problem}` : `${where}: ${problem}`);
        });
      });
      const seen = new Set<string>();
      shape.data.forEach((step, stepIndex) => {
        if (!step.id) return;
        if (seen.has(step.id)) errors.push(`steps[${stepIndex}].id: "${step.id}" is used by an earlier step`);
        seen.add(step.id);
      });
      if (errors.length > 0) return { ok: false, errors };
      return { ok: true, steps: assignStepIds(shape.data) };
    },
  };
}

/** Steps keep their ids; a step added without one gets the first free `step-N`. */
function assignStepIds(steps: z.infer<typeof PlanStepsInputSchema>): PlanStep[] {
  const used = new Set(steps.flatMap((step) => (step.id ? [step.id] : [])));
  let counter = 1;
  return steps.map((step) => {
    let id = step.id;
    if (!id) {
      while (used.has(`step-${counter}`)) counter += 1;
      id = `step-${counter}`;
      used.add(id);
    }
    return { id, title: step.title, query: step.query, tools: step.tools.map((call) => ({ name: call.name, arguments: call.arguments })) };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const [first, ...rest] = issue.path;
  const path =
    typeof first === 'number'
      ? `steps[${first}]${rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`
      : issue.path.length > 0
        ? issue.path.join('.')
        : 'steps';
  return `${path}: ${issue.message}`;
}

/** The plan as the generative planner must write it (JSON Schema for structured output). */
export function buildPlanJsonSchema(toolNames: string[]): Record<string, unknown> {
  const schema = z.object({
    steps: z
      .array(
        z.object({
          title: z.string().describe('Short title of the step, e.g. "Valuation: Russell 2000 vs S&P 500".'),
          query: z.string().describe('What to search the articles for in this step.'),
          tools: z
            .array(z.object({ name: z.enum(toolNames as [string, ...string[]]), arguments: z.record(z.string(), z.unknown()) }))
            .max(PLAN_LIMITS.maxToolsPerStep),
        }),
      )
      .min(3)
      .max(PLAN_LIMITS.maxSteps),
  });
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
  return json;
}
