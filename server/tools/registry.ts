import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { formatZodError } from '../error-handler.ts';
import { calculatorTool } from './definitions/calculator.ts';
import { compareTool } from './definitions/compare.ts';
import { computeTool } from './definitions/compute.ts';
import { findCellsTool } from './definitions/find-cells.ts';
import { movingAverageTool } from './definitions/moving-average.ts';
import { performanceTool } from './definitions/performance.ts';
import { priceHistoryTool } from './definitions/price-history.ts';
import { range52wTool } from './definitions/range-52w.ts';
import { valuationGapTool } from './definitions/valuation-gap.ts';
import { ytdTool } from './definitions/ytd.ts';
import type { ToolContext, ToolDefinition, ToolResult } from './types.ts';

export const DEFAULT_TOOLS: readonly ToolDefinition[] = [
  priceHistoryTool,
  performanceTool,
  movingAverageTool,
  range52wTool,
  compareTool,
  ytdTool,
  valuationGapTool,
  calculatorTool,
  computeTool,
  findCellsTool,
];

export interface ToolListing {
  name: string;
  description: string;
  /** JSON Schema of the arguments, as the LLM's function-calling API and `GET /api/tools` take it. */
  parameters: Record<string, unknown>;
}

export interface ToolRegistry {
  list(): ToolListing[];
  /** The definitions themselves (zod schemas), for servers that describe tools from the schema (MCP). */
  definitions(): readonly ToolDefinition[];
  /** Validates `args` against the tool's schema, then runs it. */
  run(name: string, args: unknown, context: ToolContext): Promise<ToolResult>;
}

/**
 * The one list of tools the LLM, the offline engine and the HTTP API all see. Unknown tool →
 * `not_found`; arguments that fail the schema → `bad_request` with zod's message per field.
 */
export function createToolRegistry(tools: readonly ToolDefinition[] = DEFAULT_TOOLS): ToolRegistry {
  const byName = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Two tools are named "${tool.name}".`);
    byName.set(tool.name, tool);
  }
  const listing = tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: toParameters(tool.schema) }));

  return {
    list: () => listing.map((entry) => ({ ...entry })),
    definitions: () => [...tools],
    async run(name, args, context) {
      const tool = byName.get(name);
      if (!tool) throw new AppError('not_found', `Unknown tool "${name}". Tools: ${[...byName.keys()].join(', ')}.`);
      const parsed = tool.schema.safeParse(args ?? {});
      if (!parsed.success) throw new AppError('bad_request', `Invalid arguments for ${name}: ${formatZodError(parsed.error)}`);
      return tool.run(parsed.data, context);
    },
  };
}

// Input-side schema, so arguments with defaults are optional to the caller; `$schema` is noise to an LLM.
function toParameters(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return parameters;
}
