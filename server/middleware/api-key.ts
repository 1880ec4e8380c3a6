import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../lib/errors.ts';

export type ApiKeyScope = 'all' | 'writes';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Requires `Authorization: Bearer <COPILOT_API_KEY>` on every /api route (`all`), or only on the
 * routes that change the library (`writes`: POST/DELETE /api/articles) while reads stay open.
 * Keys are compared in constant time over their hashes, so length leaks nothing either.
 */
export function apiKeyGuard(options: { key: string; scope: ApiKeyScope }): RequestHandler {
  const expected = digest(options.key);
  return (request, _response, next) => {
    const isLibraryWrite = WRITE_METHODS.has(request.method) && `${request.baseUrl}${request.path}`.startsWith('/api/articles');
    if (options.scope === 'writes' && !isLibraryWrite) {
      next();
      return;
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      next(new AppError('unauthorized', 'This server requires an API key: send `Authorization: Bearer <COPILOT_API_KEY>`.'));
      return;
    }
    next();
  };
}
