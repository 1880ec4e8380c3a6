import { describe, expect, it } from 'vitest';
import { describeConnection, passwordOf, redact, toAppError } from '../../../kb/postgres/database-errors.ts';
import { AppError } from '../../../lib/errors.ts';

const url = 'postgres://copilot:s3cr%40t@db.internal:6543/knowledge?sslmode=require';

describe('database errors', () => {
  it('describes a connection without its password', () => {
    expect(describeConnection(url)).toBe('copilot@db.internal:6543/knowledge');
    expect(describeConnection('host=db password=hunter2')).toBe('the configured database');
  });

  it('scrubs passwords from driver messages', () => {
    expect(passwordOf(url)).toEqual(['s3cr@t']);
    expect(passwordOf("host=db password='hunter2'")).toEqual(['hunter2']);
    expect(redact(`failed for ${url} with s3cr@t`, ['s3cr@t'])).toBe('failed for postgres://copilot:***@db.internal:6543/knowledge?sslmode=require with ***');
  });

  it('maps driver codes to actionable AppErrors and passes AppErrors through', () => {
    const refused = toAppError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'open the store', 'db:5432', []);
    expect(refused).toMatchObject({ code: 'upstream_unavailable' });
    expect(refused.message).toContain('DATABASE_URL');
    const login = toAppError({ code: '28P01', message: 'password authentication failed for user "copilot" (s3cr@t)' }, 'open', 'db', ['s3cr@t']);
    expect(login.message).not.toContain('s3cr@t');
    expect(login.message).toContain('user and password');
    expect(toAppError({ code: '23505', message: 'duplicate key' }, 'store', 'db', [])).toMatchObject({ code: 'conflict' });
    const own = new AppError('not_found', 'x');
    expect(toAppError(own, 'read', 'db', [])).toBe(own);
  });
});
