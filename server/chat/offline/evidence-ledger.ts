import { isAppError, type ErrorCode } from '../../../lib/errors.ts';
import type { ToolRegistry } from '../../tools/registry.ts';
import type { ToolContext, ToolResult } from '../../tools/types.ts';
import type { EngineInput, Source, ToolCallRecord } from '../types.ts';

/**
 * What one answer has cited and run: the numbered sources its `[n]` markers point at, and the
 * tool calls it made (each a data source). Every stage that adds evidence goes through one ledger,
 * so a passage cited twice keeps one number.
 */
export type RunTool = (name: string, args: Record<string, unknown>) => Promise<{ result: ToolResult; n: number } | { error: string; code: ErrorCode }>;

export interface EvidenceLedger {
  sources: Source[];
  toolCalls: ToolCallRecord[];
  /** Cites a source; returns its 0-based number (the same number for the same passage or call). */
  cite: (source: Source) => number;
  /** Runs a tool, records the call and cites its result; a failed call returns its message. */
  runTool: RunTool;
  /**
   * Marks the evidence gathered so far; calling the returned function forgets everything cited and
   * run after the mark (a drafted answer replaced by another leaves no computation behind).
   */
  checkpoint: () => () => void;
}

export interface LedgerDeps {
  registry: ToolRegistry;
  toolContext: () => Omit<ToolContext, 'signal'>;
}

export function createEvidenceLedger(deps: LedgerDeps, input: Pick<EngineInput, 'signal' | 'emit'>): EvidenceLedger {
  const sources: Source[] = [];
  const toolCalls: ToolCallRecord[] = [];
  const cite = (source: Source): number => {
    const existing = sources.findIndex((candidate) => sameSource(candidate, source));
    if (existing >= 0) return existing;
    sources.push(source);
    return sources.length - 1;
  };
  const runTool: RunTool = async (name, args) => {
    input.signal.throwIfAborted();
    try {
      const result = await deps.registry.run(name, args, { ...deps.toolContext(), signal: input.signal });
      toolCalls.push({ name, arguments: args, result });
      input.emit({ type: 'tool', name, arguments: args, result });
      return { result, n: cite({ kind: 'data', tool: name, arguments: args, result }) };
    } catch (error) {
      if (input.signal.aborted) throw error;
      const message = isAppError(error) ? error.message : 'the computation failed';
      const code = isAppError(error) ? error.code : 'internal';
      toolCalls.push({ name, arguments: args, result: null, error: { code, message } });
      return { error: message, code };
    }
  };
  const checkpoint = () => {
    const [citedBefore, ranBefore] = [sources.length, toolCalls.length];
    return () => {
      sources.length = citedBefore;
      toolCalls.length = ranBefore;
    };
  };
  return { sources, toolCalls, cite, runTool, checkpoint };
}

function sameSource(a: Source, b: Source): boolean {
  if (a.kind === 'article' && b.kind === 'article') return a.chunk.id === b.chunk.id;
  if (a.kind === 'data' && b.kind === 'data') return a.tool === b.tool && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);
  return false;
}
