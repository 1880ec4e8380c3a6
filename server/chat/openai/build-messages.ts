import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';
import type { ConversationTurn, Source } from '../types.ts';
import { formatSourceBlocks } from './source-blocks.ts';

/** Building the conversation the model sees (pure): system prompt, recent turns, question with sources. */
export const MESSAGE_DEFAULTS = {
  /** Earlier turns replayed to the model, newest last. */
  historyTurns: 4,
  /** Longer earlier answers are cut: they are context for follow-ups, not sources. */
  historyAnswerChars: 1_500,
};

export interface InitialMessagesInput {
  prompts: PromptLibrary;
  question: string;
  language: 'en' | 'zh';
  today: string;
  toolNames: string[];
  history: readonly ConversationTurn[];
  sources: readonly Source[];
  /** When retrieval found nothing relevant: the symbols the question names, if any. */
  noPassages?: { symbols: string[] };
}

export function buildSystemPrompt(prompts: PromptLibrary, today: string, language: 'en' | 'zh', toolNames: string[]): string {
  return renderPrompt(prompts, 'system', {
    today,
    languageInstruction: renderPrompt(prompts, `language.${language}`),
    toolNames: toolNames.join(', '),
  });
}

/**
 * Earlier answers lose their `[n]` markers: those numbered the sources of their own turn, and left
 * in they would read as citations of this turn's sources.
 */
export function buildHistoryMessages(history: readonly ConversationTurn[], defaults = MESSAGE_DEFAULTS): ChatCompletionMessageParam[] {
  return history.slice(-defaults.historyTurns).flatMap((turn): ChatCompletionMessageParam[] => {
    let answer = turn.answer.replace(/\s*\[\d{1,3}\](?!\()/g, '').trim();
    if (answer.length > defaults.historyAnswerChars) answer = `${answer.slice(0, defaults.historyAnswerChars - 1)}…`;
    return [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: answer },
    ];
  });
}

export function buildUserTurn(input: Pick<InitialMessagesInput, 'prompts' | 'question' | 'language' | 'sources' | 'noPassages'>): string {
  const parts = [input.question.trim()];
  if (input.noPassages) {
    parts.push(
      input.noPassages.symbols.length > 0
        ? renderPrompt(input.prompts, 'no-passages.market', { symbols: input.noPassages.symbols.join(', ') })
        : renderPrompt(input.prompts, 'no-passages', {
            noAnswer: renderPrompt(input.prompts, `no-answer.${input.language}`, { topic: input.question.trim() }),
          }),
    );
  }
  if (input.sources.length > 0) parts.push(renderPrompt(input.prompts, 'sources', { sources: formatSourceBlocks(input.sources) }));
  return parts.join('\n\n');
}

export function buildInitialMessages(input: InitialMessagesInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: buildSystemPrompt(input.prompts, input.today, input.language, input.toolNames) },
    ...buildHistoryMessages(input.history),
    { role: 'user', content: buildUserTurn(input) },
  ];
}
