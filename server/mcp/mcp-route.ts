import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { Router } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/**
 * MCP's streamable HTTP transport at `/mcp`, stateless: every POST gets a fresh server and
 * transport, so any copilot process behind a load balancer can answer any request (no session
 * affinity) and nothing outlives the request. GET (a server-initiated event stream) and DELETE
 * (ending a session) have no meaning without sessions: 405, as the transport specification allows.
 */
export function createMcpRouter(options: { createServer: () => McpServer; bodyLimit?: string }): Router {
  const router = Router();
  router.post('/', express.json({ limit: options.bodyLimit ?? '1mb' }), async (request, response) => {
    const server = options.createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  });
  const notAllowed: express.RequestHandler = (_request, response) => {
    response
      .status(405)
      .set('Allow', 'POST')
      .json({ error: { code: 'method_not_allowed', message: 'This MCP endpoint is stateless: send JSON-RPC requests with POST.' } });
  };
  router.get('/', notAllowed);
  router.delete('/', notAllowed);
  return router;
}
