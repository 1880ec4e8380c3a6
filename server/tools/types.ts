import type { z } from 'zod';
import type { CellFinder } from '../cells/cell-finder.ts';
import type { Instrument, PriceProvider, SeriesSource } from '../market/types.ts';

export interface ToolContext {
  prices: PriceProvider;
  /** Table cells of the user's documents (the `find_cells` tool); absent where no knowledge base is connected. */
  cells?: CellFinder;
  signal?: AbortSignal;
  /** YYYY-MM-DD, the clock passed in; used to flag data that ends well before today. */
  today?: string;
}

/** Which series a figure came from, in enough detail to cite it as a data source. */
export interface SeriesProvenance extends Instrument {
  source: SeriesSource;
  /** `prices/RUT.csv` or the live provider's name. */
  origin: string;
  /** First and last session the series holds (not only the ones used). */
  available: { from: string; to: string };
}

export interface Provenance {
  series?: SeriesProvenance[];
  /** The sessions the figures were computed over. */
  sessions?: { from: string; to: string; count: number };
  /** Each choice that changes a number: base price, return definition, std dev kind, window. */
  conventions: string[];
  source: SeriesSource | 'input';
  note?: string;
}

export interface ToolResult {
  [key: string]: unknown;
  provenance: Provenance;
  /** One plain sentence with the key figures, ready to quote. */
  summary: string;
}

export interface ToolDefinition<A = unknown> {
  name: string;
  description: string;
  /** Validates the arguments; its JSON Schema is what the LLM and `GET /api/tools` see. */
  schema: z.ZodType<A>;
  run(args: A, context: ToolContext): Promise<ToolResult>;
}

/** Erases a tool's argument type so tools can share a list; the registry parses before `run`. */
export function defineTool<A>(definition: ToolDefinition<A>): ToolDefinition<unknown> {
  return definition as unknown as ToolDefinition<unknown>;
}
