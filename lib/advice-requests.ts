/**
 * Requests for a personal recommendation ("What should I buy?", "Is now a good time to invest?",
 * "我应该买什么？"), as data. The copilot states facts from the user's articles and computes market
 * figures; it does not tell anyone what to trade. Such a request gets the disclaimer's stance and
 * an offer of what can be computed instead of sentences that happen to share its words
 * ("Rating: upgraded to Buy"). Read by the offline engine (server/chat/offline-engine.ts).
 *
 * Where the knowledge comes from: the phrasings of retail investment-advice requests (the verbs of
 * trading and holding after "should I", "is it a good time to", "what to", "recommend"). No
 * instrument, company or figure is named.
 */
const TRADE_VERBS = ['buy', 'sell', 'invest', 'invest in', 'hold', 'own', 'short', 'get into', 'get out of', 'put my money'];
const HOLDINGS = ['stock', 'stocks', 'share', 'shares', 'fund', 'funds', 'etf', 'etfs', 'index fund', 'investment', 'investments'];

const alternatives = (list: string[]) => list.map((entry) => entry.replace(/ /g, '\\s+')).join('|');

export const ADVICE_PATTERNS: RegExp[] = [
  // "What should I buy?", "Should I sell now?", "Which fund should I invest in?"
  new RegExp(String.raw`\b(?:should|shall|must|would you)\s+(?:i|we)\s+(?:${alternatives(TRADE_VERBS)})\b`, 'i'),
  // "Is now a good time to buy?", "Is it too late to invest?"
  new RegExp(
    String.raw`\bis\s+(?:it|now|this|today)\s+(?:a\s+)?(?:good|right|bad|the)?\s*(?:time|moment|too late|too early)\s+to\s+(?:${alternatives(TRADE_VERBS)})\b`,
    'i',
  ),
  // "What to buy now?", "What stocks to buy?", "Best ETF to buy"
  new RegExp(String.raw`\b(?:what|which|best)\s+(?:(?:${alternatives(HOLDINGS)})\s+)?(?:should\s+i\s+|to\s+)(?:${alternatives(TRADE_VERBS)})\b`, 'i'),
  // "Recommend a fund", "Any stock recommendations?", "Give me a stock tip"
  new RegExp(
    String.raw`\b(?:recommend|suggest)\s+(?:me\s+)?(?:a|an|some|any|the best)?\s*(?:${alternatives(HOLDINGS)})\b|\b(?:${alternatives(HOLDINGS)})\s+(?:recommendations?|picks?|tips?)\b`,
    'i',
  ),
  // 我应该买什么？现在该不该买？推荐一只基金。值得买吗？
  /(?:我|我们)?(?:应该|应当|该|要不要|该不该|可以|能不能)(?:现在)?(?:买|卖|投资|入手|持有|抄底|清仓)|推荐(?:一些|几只|一只|一个)?(?:股票|基金|ETF)|值得(?:买|投资|入手)吗|(?:买|卖)什么(?:好|股票|基金)?/i,
];

/** Whether a question asks what to trade rather than what happened. */
export function isAdviceRequest(question: string): boolean {
  return ADVICE_PATTERNS.some((pattern) => pattern.test(question));
}
