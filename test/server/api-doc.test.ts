import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../server/openapi/build-openapi.ts';

/**
 * docs/api.md is the contract people read; /api/openapi.json is the one generated from the route
 * schemas. This keeps them from drifting: the same routes, and the same top-level request fields.
 */
const apiDoc = readFileSync(resolve(import.meta.dirname, '../../docs/api.md'), 'utf8');

interface DocumentedRoute {
  route: string;
  requestFields: string[];
}

/** Rows of the Markdown route table: `| \`METHOD /path?query\` | request | response |`. */
function documentedRoutes(markdown: string): DocumentedRoute[] {
  const rows = markdown.split('\n').filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) \//.test(line));
  return rows.map((row) => {
    const [, head = '', request = ''] = row.split(/(?<!\\)\|/);
    const [method = '', target = ''] = head.trim().replace(/`/g, '').split(' ');
    const path = target.split('?')[0]!.replace(/:(\w+)/g, '{$1}');
    return { route: `${method} ${path}`, requestFields: topLevelFields(request) };
  });
}

/** The field names at the top level of every `{…}` in a request cell ("k? (1..50)" gives "k"; "{a} or {b}" gives both). */
function topLevelFields(cell: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let token = '';
  for (const char of cell.replace(/"[^"]*"/g, '""')) {
    // Outside a body only `{` opens one; "(one of text/html)" beside it is prose.
    if (char === '{' || (depth > 0 && (char === '[' || char === '('))) {
      depth += 1;
      if (depth === 1) token = '';
      continue;
    }
    const closes = depth > 0 && (char === '}' || char === ']' || char === ')');
    if (depth === 1 && (char === ',' || closes)) {
      const name = token.trim().match(/^(\w+)/)?.[1];
      if (name) fields.push(name);
      token = '';
    } else if (depth === 1) token += char;
    if (closes) depth -= 1;
  }
  return [...new Set(fields)];
}

type Operation = {
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown>; anyOf?: { properties?: Record<string, unknown> }[] } }> };
};

function describedRoutes(): Map<string, Operation> {
  const document = buildOpenApiDocument({ version: 'test' }) as unknown as { paths: Record<string, Record<string, Operation>> };
  const routes = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item)) routes.set(`${method.toUpperCase()} ${path}`, operation);
  return routes;
}

function bodyFields(operation: Operation): Set<string> {
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  const variants = schema?.anyOf ?? (schema ? [schema] : []);
  return new Set(variants.flatMap((variant) => Object.keys(variant.properties ?? {})));
}

describe('docs/api.md against the OpenAPI description', () => {
  const documented = documentedRoutes(apiDoc);
  const described = describedRoutes();

  it('reads the route table', () => {
    expect(documented.length).toBeGreaterThanOrEqual(10);
    expect(topLevelFields('`{query, k? (1..50, default 8), filters?: {tickers?, tags?}, mode?: "hybrid" \\| "lexical"}`')).toEqual([
      'query',
      'k',
      'filters',
      'mode',
    ]);
    expect(topLevelFields('`{planId, steps?}` (edited steps) or `{question, autoAccept: true}`')).toEqual(['planId', 'steps', 'question', 'autoAccept']);
  });

  it('documents every /api route the OpenAPI description has, and no other', () => {
    const apiRoutes = [...described.keys()].filter((route) => / \/api\//.test(route));
    const documentedSet = new Set(documented.map((entry) => entry.route));
    expect(apiRoutes.filter((route) => !documentedSet.has(route))).toEqual([]);
    expect([...documentedSet].filter((route) => !described.has(route))).toEqual([]);
  });

  it('names only request fields the live schema accepts, and every field it accepts', () => {
    const mismatches: string[] = [];
    for (const { route, requestFields } of documented) {
      const operation = described.get(route);
      if (!operation || requestFields.length === 0) continue;
      const accepted = bodyFields(operation);
      for (const field of requestFields) if (!accepted.has(field)) mismatches.push(`${route}: documented ${field} is not in the schema`);
      for (const field of accepted) if (!requestFields.includes(field)) mismatches.push(`${route}: schema field ${field} is not documented`);
    }
    expect(mismatches).toEqual([]);
  });
});
