import { describe, expect, it } from 'vitest';
import { createEvidenceLedger } from '../../server/chat/offline/evidence-ledger.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import type { ToolContext } from '../../server/tools/types.ts';

describe('evidence ledger', () => {
  it('forgets the sources and tool calls of a drafted answer that is given up, and keeps what came before', async () => {
    const ledger = createEvidenceLedger(
      { registry: createToolRegistry(), toolContext: () => ({}) as Omit<ToolContext, 'signal'> },
      { signal: new AbortController().signal, emit: () => {} },
    );
    const compute = (value: number) =>
      ledger.runTool('compute', {
        operation: 'sum',
        inputs: [
          { name: 'a', value },
          { name: 'b', value: 1 },
        ],
      });
    await compute(1);
    const forget = ledger.checkpoint();
    await compute(2);
    await compute(3);
    expect(ledger.toolCalls).toHaveLength(3);
    forget();
    expect(ledger.toolCalls).toHaveLength(1);
    expect(ledger.sources).toHaveLength(1);
    // Numbering goes on from the kept evidence.
    expect(await compute(4)).toMatchObject({ n: 1 });
  });
});
