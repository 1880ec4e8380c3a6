import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { destination, pino } from 'pino';
import { loadConfig } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { APP_DEFAULTS } from './app.ts';
import { composeCopilot } from './compose.ts';
import { watchKnowledgeBase } from './kb-watcher.ts';
import { createCopilotBackend, MCP_SCHEMAS } from './mcp/copilot-backend.ts';
import { createMcpServer } from './mcp/create-mcp-server.ts';

/**
 * `npm run mcp`: the copilot as an MCP server over stdio, for desktop clients that launch it as a
 * subprocess. Stdout carries the protocol and nothing else, so every log and message goes to stderr.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: { service: 'investment-copilot-mcp' } }, destination(2));
  const copilot = await composeCopilot(config, { logger, say: (message) => process.stderr.write(`${message}\n`) });
  const server = createMcpServer(createCopilotBackend({ ...copilot, version: APP_DEFAULTS.apiVersion, allowWrites: config.mcpWrites }), MCP_SCHEMAS);
  // Articles ingested by `npm run ingest` while a client holds this server open become searchable.
  const watcher = watchKnowledgeBase(copilot.kb, { intervalMs: 2_000, onError: (error) => logger.warn({ err: error }, 'knowledge base refresh failed') });
  const transport = new StdioServerTransport();
  transport.onclose = () => {
    watcher.stop();
    void copilot.kb.close().finally(() => process.exit(0));
  };
  await server.connect(transport);
  process.stderr.write(
    `investment-copilot MCP server on stdio (${(await copilot.kb.stats()).articles} articles; writes ${config.mcpWrites ? 'allowed' : 'off'})\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`investment-copilot MCP server could not start: ${message}\n`);
  process.exit(1);
});
