import { z } from 'zod';

/**
 * Folds the chunks of a streamed chat completion into one assistant turn (pure). Tool calls arrive
 * as fragments keyed by `index`: the first fragment of a call carries its id and name, the later
 * ones only more characters of its JSON arguments.
 */

// Only what we use of a chunk; other OpenAI-compatible servers add or omit fields freely.
const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().nonnegative().optional(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
});

export interface StreamedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface StreamedTurn {
  content: string;
  toolCalls: StreamedToolCall[];
  finishReason?: string;
}

export interface TurnAccumulator {
  /** Adds one chunk; returns the content text it carried ('' when none). */
  push(chunk: unknown): string;
  result(): StreamedTurn;
}

export function createTurnAccumulator(callIdPrefix = 'call'): TurnAccumulator {
  let content = '';
  let finishReason: string | undefined;
  const calls = new Map<number, StreamedToolCall>();

  return {
    push(chunk) {
      const parsed = ChunkSchema.safeParse(chunk);
      if (!parsed.success) return '';
      let text = '';
      // n = 1 is what we ask for; a server sending more choices gets only the first one read.
      for (const choice of parsed.data.choices.filter((entry) => (entry.index ?? 0) === 0)) {
        if (choice.delta?.content) text += choice.delta.content;
        (choice.delta?.tool_calls ?? []).forEach((fragment, position) => {
          // Some compatible servers omit `index` when each chunk holds whole calls.
          const index = fragment.index ?? position;
          let call = calls.get(index);
          if (!call) {
            call = { id: '', name: '', arguments: '' };
            calls.set(index, call);
          }
          if (fragment.id && !call.id) call.id = fragment.id;
          // Servers that repeat the name in every fragment must not double it.
          if (fragment.function?.name && !call.name) call.name = fragment.function.name;
          if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
        });
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      content += text;
      return text;
    },
    result() {
      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([index, call]) => ({ ...call, id: call.id || `${callIdPrefix}_${index}` }));
      return { content, toolCalls, ...(finishReason ? { finishReason } : {}) };
    },
  };
}
