/**
 * The server's default log: one short human line per event on stderr (`14:02:03 POST /api/chat
 * 200 152 ms`), structured fields only at `debug`, so a terminal running `npm start` is not
 * flooded with JSON. `COPILOT_LOG_FORMAT=json` selects pino's JSON lines for log collectors instead.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ConsoleLoggerOptions {
  level: LogLevel;
  write?: (line: string) => void;
  now?: () => Date;
}

/** Fields never printed, whatever the level: they could hold secrets. */
const SECRET_FIELDS = /authorization|api[-_]?key|password|secret|token/i;
const MAX_VALUE_CHARS = 300;

export function createConsoleLogger(options: ConsoleLoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const verbose = options.level === 'debug';
  const log = (level: Exclude<LogLevel, 'silent'>) => (fields: Record<string, unknown>, message: string) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const parts = [now().toISOString().slice(11, 19), level === 'info' ? '' : level.toUpperCase(), message];
    const error = fields.err;
    if (error !== undefined) parts.push(`(${describeError(error)})`);
    if (verbose) parts.push(formatFields(fields));
    write(`${parts.filter(Boolean).join(' ')}\n`);
    if (verbose && error instanceof Error && error.stack) write(`${error.stack}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, MAX_VALUE_CHARS);
  return String(error).slice(0, MAX_VALUE_CHARS);
}

/** `key=value` pairs; strings with spaces or quotes are JSON-quoted, long values cut. */
export function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([key, value]) => key !== 'err' && value !== undefined && !SECRET_FIELDS.test(key))
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
      const cut = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
      return `${key}=${/^[^\s"=]+$/.test(cut) ? cut : JSON.stringify(cut)}`;
    })
    .join(' ');
}
