/**
 * How a question asks to compare two things, as data: the words of English and Chinese that set
 * one series against another. Read by the offline engine's question reading
 * (server/chat/offline/intent.ts); no other module keeps these words.
 *
 * Where the knowledge comes from: the ordinary comparative wording of market commentary in both
 * languages ("outperformed", "versus", "compared with"; 相比, 对比, 跑赢, "与 A 相比"), as style
 * guides and bilingual financial glossaries give it. The words name no instrument, period or figure.
 */

/**
 * English words on word boundaries. `relative` words ask who did better ("beat", "a streak"),
 * `versus` words only set two things side by side; both make a comparison when two series are named.
 */
export const ENGLISH_COMPARISON = {
  relative: [
    'outperform',
    'outperformed',
    'outperforming',
    'outperforms',
    'outperformance',
    'underperform',
    'underperformed',
    'underperforming',
    'underperforms',
    'underperformance',
    'beat',
    'beats',
    'beating',
    'relative',
    'relatively',
    'lead',
    'leading',
    'lag',
    'lagged',
    'lagging',
    'streak',
  ],
  versus: ['versus', 'vs', 'vs.', 'v.', 'compare', 'compared', 'comparing', 'comparison', 'against', 'than'],
} as const;

/** Chinese words, matched as substrings (Chinese has no spaces between words), split like the English. */
export const CHINESE_COMPARISON = {
  // "哪个涨得多" (which gained more) asks who did better as "outperformed" does.
  relative: ['跑赢', '跑输', '强于', '弱于', '好于', '差于', '胜过', '不如', '领先', '落后', '连胜', '哪个', '哪一个', '谁'],
  versus: ['相比', '相较', '对比', '比较', '相对'],
} as const;

/**
 * Chinese frames whose halves stand apart with a name between them: "与 A 相比" is covered by
 * 相比, but "A 和 B 比" and "A 比 B 涨得多" hold only a bare 比, which alone also begins
 * 比例 (a ratio) or ends 占比 (a share). Each frame is [before the name, after it].
 */
export const CHINESE_COMPARISON_FRAMES: readonly (readonly [string, string])[] = [
  ['和', '比'],
  ['与', '比'],
  ['跟', '比'],
  ['比', '涨'],
  ['比', '跌'],
  ['比', '表现'],
  ['比', '好'],
  ['比', '差'],
  ['比', '多'],
  ['比', '少'],
];

/** Characters beside 比 that make another word with it (比例, 比率, 比重, 占比, 同比, 环比), not a comparison. */
const NOT_COMPARING_AFTER_BI = '例率重值较';
const NOT_COMPARING_BEFORE_BI = '占对相无类评排同环';

function escapePattern(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function englishPattern(words: readonly string[]): RegExp {
  // "vs." ends with a dot, which has no word boundary after it.
  return new RegExp(`\\b(?:${words.map((word) => `${escapePattern(word)}${/\w$/.test(word) ? '\\b' : ''}`).join('|')})`, 'i');
}

/** 比 stands for a comparison only when the characters beside it do not make it part of another word. */
function bi(word: string): string {
  return word === '比' ? `(?<![${NOT_COMPARING_BEFORE_BI}])比(?![${NOT_COMPARING_AFTER_BI}])` : escapePattern(word);
}

const RELATIVE = englishPattern(ENGLISH_COMPARISON.relative);
const VERSUS = englishPattern(ENGLISH_COMPARISON.versus);
const CHINESE_RELATIVE = new RegExp(CHINESE_COMPARISON.relative.map(escapePattern).join('|'));
const CHINESE_VERSUS = new RegExp(CHINESE_COMPARISON.versus.map(escapePattern).join('|'));
const FRAMES = CHINESE_COMPARISON_FRAMES.map(([before, after]) => new RegExp(`${bi(before)}[^，。？！,.?!]{1,24}?${bi(after)}`));

/**
 * How the question sets one thing against another: `relative` asks who did better (a spread, a
 * streak), `versus` only names them side by side; undefined when it compares nothing.
 */
export function readComparison(question: string): 'relative' | 'versus' | undefined {
  if (RELATIVE.test(question) || CHINESE_RELATIVE.test(question)) return 'relative';
  if (VERSUS.test(question) || CHINESE_VERSUS.test(question) || FRAMES.some((frame) => frame.test(question))) return 'versus';
  return undefined;
}
