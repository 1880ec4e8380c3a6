import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateArticleBodySchema } from '../../server/routes/articles.ts';
import { ChatBodySchema } from '../../server/routes/chat.ts';
import { PlanBodySchema, RunBodySchema } from '../../server/routes/research.ts';
import { SearchBodySchema } from '../../server/routes/search.ts';
import { RunToolBodySchema } from '../../server/routes/tools.ts';
import { REQUEST_EXAMPLES } from '../../server/openapi/build-openapi.ts';
import { createToolRegistry } from '../../server/tools/registry.ts';
import { buildWebTestApp } from '../web/app-factory.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

interface StackLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
  rawPath?: string | string[];
}

/** Every method + path the Express app answers, read from its router stack (Express 5 keeps the mount path as `rawPath`). */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: StackLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}` || '/';
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '');
  return [...new Set(found)];
}

describe('the OpenAPI description', () => {
  let server: Server;
  let base: string;
  let app: Express;
  beforeAll(async () => {
    ({ app } = await buildWebTestApp({ indexDir: tempDir() }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is served at /api/openapi.json as OpenAPI 3.1', async () => {
    const response = await fetch(`${base}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/chat'].post.requestBody.content['application/json'].schema.properties.message.maxLength).toBe(4000);
  });

  it('describes every route the app mounts under /api and /mcp', async () => {
    const document = await (await fetch(`${base}/api/openapi.json`)).json();
    const described = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const routes = mountedRoutes(app).filter((route) => / \/(api|mcp)\b/.test(route));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((route) => !described.has(route))).toEqual([]);
  });

  it('carries example requests that the live route schemas accept', () => {
    const schemas = {
      '/api/articles': CreateArticleBodySchema,
      '/api/search': SearchBodySchema,
      '/api/chat': ChatBodySchema,
      '/api/tools/{name}': RunToolBodySchema,
      '/api/research/plan': PlanBodySchema,
      '/api/research/run': RunBodySchema,
    } as const;
    for (const [path, example] of Object.entries(REQUEST_EXAMPLES)) {
      const result = schemas[path as keyof typeof schemas].safeParse(example);
      expect(result.success, `${path}: ${result.error?.message}`).toBe(true);
    }
    // The tool example's arguments also satisfy the tool's own schema.
    const performance = createToolRegistry()
      .definitions()
      .find((tool) => tool.name === 'performance')!;
    expect(performance.schema.safeParse(REQUEST_EXAMPLES['/api/tools/{name}'].arguments).success).toBe(true);
  });
});
