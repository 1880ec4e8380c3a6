import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../research/helpers.ts';
import { TYPESCRIPT_RUNNER } from '../../lib/runtime-flags.ts';

// A data dir of its own with the bundled prices and sample articles, so the stdio server starts
// exactly as `npm run mcp` would on a fresh install (empty index → sample corpus ingested).
const dataDir = mkdtempSync(join(tmpdir(), 'copilot-mcp-stdio-'));
cpSync(join(REPO, 'data/prices'), join(dataDir, 'prices'), { recursive: true });
cpSync(join(REPO, 'data/articles'), join(dataDir, 'articles'), { recursive: true });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run mcp (stdio)', () => {
  it('starts as a subprocess, lists tools, answers a search and refuses a write with writes off', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...TYPESCRIPT_RUNNER, join(REPO, 'server/mcp-stdio.ts')],
      cwd: REPO,
      env: {
        ...(process.env as Record<string, string>),
        COPILOT_DATA_DIR: dataDir,
        COPILOT_CACHE_DIR: join(REPO, '.cache/word-vectors'),
        COPILOT_LIVE_PRICES: 'off',
        OPENAI_API_KEY: '',
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['search_knowledge_base', 'performance', 'ask_copilot']));
      const search = (await client.callTool({ name: 'search_knowledge_base', arguments: { query: 'Russell 2000 record high', k: 2 } })) as {
        isError?: boolean;
        structuredContent?: { results: unknown[] };
      };
      expect(search.isError).toBeFalsy();
      expect(search.structuredContent!.results.length).toBeGreaterThan(0);
      const write = (await client.callTool({ name: 'delete_article', arguments: { id: '0000000000000000' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(write.isError).toBe(true);
      expect(write.content[0]!.text).toMatch(/read-only/);
    } finally {
      await client.close();
    }
  });
});
