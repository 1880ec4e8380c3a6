import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import { AppError } from '../../lib/errors.ts';

export type ApiKeyScope = 'all' | 'writes';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Everything this guard protects in the `all` scope (app.ts guards /mcp in every scope). */
export const KEYED_PATHS = ['/api'];

/**
 * The routes whose writes change stored state (the library, the stored conversations): the
 * `writes` scope guards every write method under them. Chat and research stay open in that scope:
 * asking is a read there, even though a chat turn is then stored in its conversation.
 */
export const GUARDED_WRITE_PATHS = ['/api/articles', '/api/conversations'];

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Requires `Authorization: Bearer <COPILOT_API_KEY>`. Keys are compared in constant time over their
 * hashes, so length leaks nothing either.
 */
export function apiKeyGuard(options: { key: string }): RequestHandler {
  const expected = digest(options.key);
  return (request, _response, next) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      next(new AppError('unauthorized', 'This server requires an API key: send `Authorization: Bearer <COPILOT_API_KEY>`.'));
      return;
    }
    next();
  };
}

/**
 * Mounts the key check on every /api route (`all`), or only on writes to stored state (`writes`)
 * while reads stay open. The `writes` check is mounted on the same paths, through the same router,
 * as the routes it protects, so it matches exactly what they match: Express's case-insensitive,
 * trailing-slash-tolerant routing cannot reach a guarded route that the guard did not see.
 */
export function mountApiKeyGuard(app: Express, options: { key: string; scope: ApiKeyScope }): void {
  const guard = apiKeyGuard(options);
  if (options.scope === 'all') {
    app.use(KEYED_PATHS, guard);
    return;
  }
  app.use(GUARDED_WRITE_PATHS, (request, response, next) => {
    if (WRITE_METHODS.has(request.method)) guard(request, response, next);
    else next();
  });
}
