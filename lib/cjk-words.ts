/**
 * Chinese questions as words. Chinese writes no spaces, and the lexical index splits a CJK run into
 * overlapping character bigrams (kb/tokenize.ts). Searching with every bigram of a question adds
 * pairs that straddle two words ("么小" in "为什么小盘股", "股跑" in "小盘股跑赢"): no passage holds
 * them, so they only drag down every passage's share of the question it covers. Reading the question
 * as words first keeps the bigrams inside each word and drops the words that carry no subject.
 *
 * The words come, in order: the vocabulary the caller knows (market names, glossary words), then the
 * function words below, then the runtime's dictionary segmenter (ICU's, through `Intl.Segmenter`).
 * Where the dictionary knows no word it falls back to single characters; a stretch of those is one
 * unknown word (a name or a term of art: 杰富瑞, 仓储).
 *
 * Where the function words come from: the closed classes of Mandarin grammar (particles, pronouns,
 * question words, prepositions, copula and auxiliaries) as any grammar of Mandarin lists them, plus
 * the request phrases of a question ("请问", "告诉我"). None names a market, company or figure.
 */
const FUNCTION_WORDS = new Set(
  (
    '的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 么 ' +
    '和 与 及 跟 同 以及 或 或者 还是 而 并 并且 但 但是 ' +
    '在 于 对 对于 关于 从 到 向 给 把 被 让 由 为 以 比 ' +
    '是 有 会 能 要 可以 应该 就 都 也 还 又 再 很 太 ' +
    '我 我们 你 你们 他 她 它 他们 它们 其 这 那 这个 那个 这些 那些 这么 那么 这样 那样 ' +
    '什么 为什么 怎么 怎样 怎么样 如何 多少 几 哪 哪个 哪些 哪里 谁 是否 是不是 有没有 ' +
    '请 请问 问 一下 告诉 告诉我 说说 讲讲 介绍 分别 大约 大概 左右'
  ).split(' '),
);

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;

export function isChineseFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(word);
}

/** The longest known word is searched for at each position; longer ones are not tried. */
const MAX_WORD_CHARS = 8;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The content words of a text's CJK runs, in order: known words as they are, function words
 * dropped, the rest as the dictionary segments it (runs of single characters joined). Latin text
 * (tickers, figures) is left to the ordinary tokenizer. Pure.
 */
export function segmentChinese(text: string, known: ReadonlySet<string>): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFKC').matchAll(CJK_RUN)) words.push(...segmentRun(Array.from(match[0]), known));
  return words.filter((word) => !FUNCTION_WORDS.has(word));
}

function segmentRun(chars: string[], known: ReadonlySet<string>): string[] {
  const words: string[] = [];
  let unknown = '';
  const flush = () => {
    if (unknown) words.push(...segmentUnknown(unknown));
    unknown = '';
  };
  for (let index = 0; index < chars.length; ) {
    let length = Math.min(MAX_WORD_CHARS, chars.length - index);
    for (; length >= 2; length -= 1) {
      const word = chars.slice(index, index + length).join('');
      if (known.has(word) || FUNCTION_WORDS.has(word)) break;
    }
    if (length >= 2) {
      flush();
      words.push(chars.slice(index, index + length).join(''));
      index += length;
    } else {
      unknown += chars[index];
      index += 1;
    }
  }
  flush();
  return words;
}

/** The dictionary's words; single characters it could not place are joined into one word. */
function segmentUnknown(stretch: string): string[] {
  const words: string[] = [];
  let singles = '';
  for (const { segment } of segmenter.segment(stretch)) {
    if (!CJK.test(segment)) continue;
    if (Array.from(segment).length === 1 && !FUNCTION_WORDS.has(segment)) {
      singles += segment;
      continue;
    }
    if (singles) words.push(singles);
    singles = '';
    words.push(segment);
  }
  if (singles) words.push(singles);
  return words;
}

/** A word's terms as the lexical index holds them: its character bigrams (the character itself when alone). */
export function wordBigrams(word: string): string[] {
  const chars = Array.from(word);
  if (chars.length === 1) return chars;
  return chars.slice(1).map((char, index) => chars[index]! + char);
}
