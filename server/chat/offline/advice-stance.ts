import { MARKET_ENTITIES } from '../../../lib/market-entities.ts';
import { renderPrompt, type PromptLibrary } from '../../prompts.ts';

/**
 * The reply to a request for a personal recommendation (lib/advice-requests.ts): the disclaimer's
 * stance and what the copilot can compute instead (prompts/advice-{en,zh}.md), naming the indexes
 * the market data covers, in the question's language (pure).
 */
export const ADVICE_DEFAULTS = {
  /** Indexes named as examples of what can be measured. */
  examples: 3,
};

export function describeAdviceStance(prompts: PromptLibrary, language: 'en' | 'zh'): string {
  const indexes = MARKET_ENTITIES.filter((entity) => entity.kind === 'index' && entity.symbols.length > 0).slice(0, ADVICE_DEFAULTS.examples);
  const series =
    language === 'zh'
      ? indexes.map((entity) => entity.aliases.find((alias) => /\p{Script=Han}/u.test(alias)) ?? entity.name).join('、')
      : `${indexes
          .slice(0, -1)
          .map((entity) => `the ${entity.name}`)
          .join(', ')} or the ${indexes.at(-1)?.name ?? ''}`;
  return renderPrompt(prompts, `advice.${language}`, { series });
}
