import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ConversationTurn } from './types.ts';

export const CONVERSATION_DEFAULTS = {
  /** Turns the engine sees as history (older ones still show in the conversation). */
  maxTurns: 8,
  /** Turns kept per conversation for display; the oldest fall off beyond it. */
  maxStoredTurns: 100,
  /** Conversations kept at once (least recently used go first, from disk too). */
  maxConversations: 500,
  /** A conversation untouched for this long is forgotten; unlimited unless set. */
  ttlMs: Number.POSITIVE_INFINITY,
  /** Characters of the first question used as the conversation's title. */
  titleChars: 80,
};

export const ConversationIdSchema = z
  .string()
  .trim()
  .regex(/^[\w-]{8,64}$/, 'a conversation id is 8–64 letters, digits, - or _');

const TurnContextSchema = z.object({
  symbols: z.array(z.string()),
  entityIds: z.array(z.string()),
  period: z.object({ from: z.string(), to: z.string(), named: z.boolean().optional(), startsAtClose: z.boolean().optional() }).optional(),
  asOf: z.string().optional(),
  topic: z.string(),
});

/**
 * What the UI needs to show an answer again after a reload: the body of the chat response, minus
 * what only mattered while it streamed. Citations and tool calls are kept as the client got them.
 */
export const ShownAnswerSchema = z.object({
  mode: z.enum(['offline', 'openai']),
  answer: z.string(),
  citations: z.array(z.object({ n: z.number(), kind: z.enum(['article', 'data']), title: z.string() }).passthrough()),
  toolCalls: z.array(z.object({ name: z.string(), arguments: z.unknown(), result: z.unknown() }).passthrough()),
  grounding: z.object({ figures: z.number(), grounded: z.number(), removed: z.array(z.string()) }),
  followUps: z.array(z.string()).optional(),
  disclaimer: z.string().optional(),
  fallback: z.object({ from: z.literal('openai'), reason: z.string() }).optional(),
  /** Set for a deep-research turn: the report as the research route answered it. */
  report: z
    .object({
      title: z.string(),
      markdown: z.string(),
      sections: z.array(z.object({ heading: z.string(), markdown: z.string() }).passthrough()),
      citations: z.array(z.object({ n: z.number(), kind: z.enum(['article', 'data']), title: z.string() }).passthrough()),
    })
    .optional(),
});
export type ShownAnswer = z.infer<typeof ShownAnswerSchema>;

export const StoredTurnSchema = z.object({
  question: z.string(),
  /** The answer as the engine sees it in history (without notes and disclaimer). */
  answer: z.string(),
  context: TurnContextSchema.optional(),
  /** ISO time the answer was given. */
  at: z.string().optional(),
  shown: ShownAnswerSchema.optional(),
});

/** A conversation as written to disk: one file per conversation, parsed back through this schema. */
export const ConversationRecordSchema = z.object({
  version: z.literal(1),
  id: ConversationIdSchema,
  title: z.string(),
  created: z.string(),
  updated: z.string(),
  turns: z.array(StoredTurnSchema),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;

export interface ConversationSummary {
  id: string;
  title: string;
  created: string;
  updated: string;
  turns: number;
}

/** Where conversations live between starts: `save` and `remove` resolving means durable. */
export interface ConversationPersistence {
  load(): ConversationRecord[];
  save(record: ConversationRecord): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface ConversationStore {
  /** The history of a known, unexpired conversation, or a new conversation id with no history. */
  open(id: string | undefined): { id: string; history: ConversationTurn[] };
  /** Resolves once the turn is durable (with persistence); turns of one conversation are kept in call order. */
  append(id: string, turn: ConversationTurn & { shown?: ShownAnswer }): Promise<void>;
  /** Most recently updated first. */
  list(): ConversationSummary[];
  get(id: string): ConversationRecord | undefined;
  /** True when the conversation existed; resolves once it is gone from disk too. */
  remove(id: string): Promise<boolean>;
  /** Resolves once every change asked for so far has settled (background removals included). */
  settled(): Promise<void>;
}

type Options = Partial<typeof CONVERSATION_DEFAULTS> & {
  now?: () => number;
  persistence?: ConversationPersistence;
  /** A conversation the cache dropped (evicted or expired) that could not be removed from disk: it comes back at the next start. */
  onRemoveFailed?: (id: string, error: unknown) => void;
};

/**
 * Bounded conversations with expiry. Kept in memory for speed; with `persistence`, loaded from it
 * at creation and written through on every change before the call resolves, so an acknowledged
 * answer survives a crash. A conversation's changes run one after another (each starts from what
 * the one before it stored), different conversations' side by side. A conversation the cache drops
 * (least recently updated beyond the limit, or untouched past its time to live) is removed from
 * disk too, in the background. The clock is passed in.
 */
export function createConversationStore(options: Options = {}): ConversationStore {
  const settings = { ...CONVERSATION_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const persistence = options.persistence;
  /** Each conversation's last change, in call order: the next one starts after it settles. */
  const changes = new Map<string, Promise<unknown>>();
  const inTurn = <T>(id: string, change: () => Promise<T>): Promise<T> => {
    const result = (changes.get(id) ?? Promise.resolve()).catch(() => undefined).then(change);
    const settled = result.catch(() => undefined);
    changes.set(id, settled);
    void settled.then(() => {
      if (changes.get(id) === settled) changes.delete(id);
    });
    return result;
  };
  // lru-cache reads a start time of 0 as "no start time" (never stale), and an injected clock may
  // well start at 0, so the cache counts time from one millisecond before this store was made.
  const origin = now() - 1;
  const conversations = new LRUCache<string, ConversationRecord>({
    max: settings.maxConversations,
    ...(Number.isFinite(settings.ttlMs) ? { ttl: settings.ttlMs } : {}),
    // Reads (open, get, list) never extend a conversation's life or its place: only a new turn does.
    updateAgeOnGet: false,
    ttlResolution: 0,
    perf: { now: () => now() - origin },
    dispose: (_record, id, reason) => {
      // `remove` below deletes the file itself before it drops the entry (reason 'delete').
      if (!persistence || (reason !== 'evict' && reason !== 'expire')) return;
      inTurn(id, () => persistence.remove(id)).catch((error: unknown) => options.onRemoveFailed?.(id, error));
    },
  });

  const loaded = [...(persistence?.load() ?? [])].sort((a, b) => a.updated.localeCompare(b.updated));
  for (const record of loaded) conversations.set(record.id, record, { start: (Date.parse(record.updated) || now()) - origin });
  conversations.purgeStale();

  return {
    open(id) {
      conversations.purgeStale();
      const existing = id ? conversations.peek(id) : undefined;
      if (id && existing) {
        const turns = existing.turns.slice(-settings.maxTurns);
        return { id, history: turns.map(({ question, answer, context }) => ({ question, answer, ...(context ? { context } : {}) })) };
      }
      return { id: id && ConversationIdSchema.safeParse(id).success ? id : randomUUID(), history: [] };
    },
    append(id, turn) {
      return inTurn(id, async () => {
        const at = new Date(now()).toISOString();
        const previous: ConversationRecord = conversations.peek(id) ?? {
          version: 1,
          id,
          title: titleOf(turn.question, settings.titleChars),
          created: at,
          updated: at,
          turns: [],
        };
        const record = { ...previous, updated: at, turns: [...previous.turns, { ...turn, at }].slice(-settings.maxStoredTurns) };
        // Durable first: a failed write leaves the conversation as it was and fails the request.
        await persistence?.save(record);
        conversations.set(id, record);
        conversations.purgeStale();
      });
    },
    list() {
      conversations.purgeStale();
      // The cache iterates most recently updated first, since only a new turn moves a conversation.
      return [...conversations.values()].map((record) => ({
        id: record.id,
        title: record.title,
        created: record.created,
        updated: record.updated,
        turns: record.turns.length,
      }));
    },
    get(id) {
      conversations.purgeStale();
      return conversations.peek(id);
    },
    async settled() {
      while (changes.size > 0) await Promise.all(changes.values());
    },
    remove(id) {
      return inTurn(id, async () => {
        if (!conversations.has(id)) return false;
        await persistence?.remove(id);
        conversations.delete(id);
        return true;
      });
    },
  };
}

function titleOf(question: string, limit: number): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return oneLine.length <= limit ? oneLine : `${oneLine.slice(0, limit - 1).trimEnd()}…`;
}
