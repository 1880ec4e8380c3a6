import { randomUUID } from 'node:crypto';
import type { ConversationTurn } from './types.ts';

export const CONVERSATION_DEFAULTS = {
  /** Turns kept per conversation (older ones fall off). */
  maxTurns: 8,
  /** Conversations kept in memory at once (least recently used go first). */
  maxConversations: 1_000,
  /** A conversation untouched for this long is forgotten. */
  ttlMs: 60 * 60 * 1000,
};

export interface ConversationStore {
  /** The history of a known, unexpired conversation, or a new conversation id with no history. */
  open(id: string | undefined): { id: string; history: ConversationTurn[] };
  append(id: string, turn: ConversationTurn): void;
}

/** In-memory, bounded conversations with expiry; the clock is passed in. */
export function createConversationStore(options: Partial<typeof CONVERSATION_DEFAULTS> & { now?: () => number } = {}): ConversationStore {
  const settings = { ...CONVERSATION_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order; re-inserting on use keeps it in recency order.
  const conversations = new Map<string, { turns: ConversationTurn[]; touched: number }>();

  const evict = () => {
    const cutoff = now() - settings.ttlMs;
    for (const [id, conversation] of conversations) {
      if (conversation.touched < cutoff || conversations.size > settings.maxConversations) conversations.delete(id);
      else break;
    }
  };

  return {
    open(id) {
      evict();
      const existing = id ? conversations.get(id) : undefined;
      if (id && existing) return { id, history: [...existing.turns] };
      return { id: id && /^[\w-]{8,64}$/.test(id) ? id : randomUUID(), history: [] };
    },
    append(id, turn) {
      const conversation = conversations.get(id) ?? { turns: [], touched: now() };
      conversation.turns.push(turn);
      if (conversation.turns.length > settings.maxTurns) conversation.turns.splice(0, conversation.turns.length - settings.maxTurns);
      conversation.touched = now();
      conversations.delete(id);
      conversations.set(id, conversation);
      evict();
    },
  };
}
