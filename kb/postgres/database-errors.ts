import { AppError, isAppError } from '../../lib/errors.ts';

/**
 * Turns driver and server errors into AppErrors that say what to do, and makes sure no message ever
 * carries the connection string's password. Pure.
 */

/** `user@host:port/database` for messages: never the password, whatever the string holds. */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    const database = url.pathname.replace(/^\//, '');
    return `${user}${url.hostname || 'localhost'}${url.port ? `:${url.port}` : ''}${database ? `/${database}` : ''}`;
  } catch {
    // Not a URL (a key=value string): say nothing about it rather than risk echoing a password.
    return 'the configured database';
  }
}

/** Removes every occurrence of `secrets` (and any URL's password) from a message. */
export function redact(message: string, secrets: string[] = []): string {
  let clean = message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join('***');
  return clean;
}

export function passwordOf(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  try {
    const password = decodeURIComponent(new URL(connectionString).password);
    return password ? [password] : [];
  } catch {
    const match = /password\s*=\s*'?([^'\s]+)/i.exec(connectionString);
    return match?.[1] ? [match[1]] : [];
  }
}

interface DriverError {
  code?: string;
  message?: string;
}

function driverError(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : { message: String(error) };
}

/** Connection-level failures: the server is unreachable, refuses us, or is starting. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '57P03', '08001', '08006', '08004']);
const UNAUTHORIZED = new Set(['28P01', '28000']);

/**
 * Maps an error thrown while `doing` something to an AppError; AppErrors pass through unchanged.
 * `where` describes the database without secrets; `secrets` are scrubbed from the driver's text.
 */
export function toAppError(error: unknown, doing: string, where: string, secrets: string[]): AppError {
  if (isAppError(error)) return error;
  const { code = '', message = 'unknown error' } = driverError(error);
  const detail = redact(message, secrets);
  if (UNREACHABLE.has(code)) {
    return new AppError(
      'upstream_unavailable',
      `Could not reach Postgres at ${where} to ${doing} (${code}): check that it is running and that DATABASE_URL points at it.`,
      { cause: error },
    );
  }
  if (UNAUTHORIZED.has(code)) {
    return new AppError('upstream_unavailable', `Postgres at ${where} refused the login (${detail}); check the user and password in DATABASE_URL.`, {
      cause: error,
    });
  }
  if (code === '3D000') {
    return new AppError('upstream_unavailable', `Postgres at ${where} has no such database (${detail}); create it or fix the database name in DATABASE_URL.`, {
      cause: error,
    });
  }
  if (code === '23505') {
    return new AppError('conflict', `Another writer stored the same article at the same moment; retry the upload.`, { cause: error });
  }
  if (code === '40001' || code === '40P01') {
    return new AppError('conflict', `A concurrent write to the knowledge base collided with this one; retry.`, { cause: error });
  }
  return new AppError('upstream_unavailable', `Postgres at ${where} failed to ${doing}: ${detail}`, { cause: error });
}

/** The message for a database whose pgvector extension cannot be created. */
export function missingVectorExtension(where: string, error: unknown): AppError {
  return new AppError(
    'upstream_unavailable',
    `Postgres at ${where} cannot create the pgvector extension: install pgvector on the server (on managed Postgres, enable the "vector" extension) or connect as a user allowed to CREATE EXTENSION, then restart.`,
    { cause: error },
  );
}
