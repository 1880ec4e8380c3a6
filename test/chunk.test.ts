import { describe, expect, it } from 'vitest';
import { CHUNK_DEFAULTS, chunkArticle, estimateTokens, splitLongSentence, splitSentences, type ChunkDraft } from '../ingest/chunk.ts';
import type { ParsedArticle } from '../kb/types.ts';

function makeArticle(sections: ParsedArticle['sections'], extra: Partial<ParsedArticle> = {}): ParsedArticle {
  return { title: 'Small caps lead', text: '', sections, tags: [], tickers: [], references: [], ...extra };
}

// Varied English sentences of our own, about 12–20 tokens each.
const TOPICS = ['small-cap stocks', 'Treasury yields', 'the dollar index', 'crude oil', 'regional banks', 'chipmakers', 'homebuilders', 'gold miners'];
const VERBS = ['climbed', 'slipped', 'held steady', 'swung wildly', 'outperformed', 'lagged'];
function englishSentence(index: number): string {
  const topic = TOPICS[index % TOPICS.length]!;
  const verb = VERBS[index % VERBS.length]!;
  return `On day ${index + 1}, ${topic} ${verb} by ${(index * 0.37).toFixed(2)}% while traders weighed the U.S. jobs report and Fed commentary.`;
}
function englishParagraph(from: number, count: number): string {
  return Array.from({ length: count }, (_, offset) => englishSentence(from + offset)).join(' ');
}

// Chinese prose of our own, built from varied sentence templates (~2,000 characters in all).
function chineseParagraph(sentences: number): string {
  const templates = [
    (n: number) => `第${n}个交易日，小盘股指数上涨了百分之${n % 7}，成交量较前一日明显放大。`,
    (n: number) => `分析人士认为，年初的资金再平衡与减税卖盘回补共同推动了这一轮行情，第${n}周尤其明显。`,
    () => `与此同时，大盘科技股表现疲软，部分投资者开始把仓位转向估值更低的中小企业！`,
    (n: number) => `市场是否会在第${n}个月继续走高？多数机构仍保持谨慎，并提示利率路径存在不确定性。`,
  ];
  return Array.from({ length: sentences }, (_, index) => templates[index % templates.length]!(index + 1)).join('');
}

function sentencesOf(section: ParsedArticle['sections'][number]): string[] {
  return section.paragraphs.flatMap((paragraph) => splitSentences(paragraph));
}

function chunksBySection(chunks: ChunkDraft[]): Map<string | undefined, ChunkDraft[]> {
  const groups = new Map<string | undefined, ChunkDraft[]>();
  for (const chunk of chunks) groups.set(chunk.section, [...(groups.get(chunk.section) ?? []), chunk]);
  return groups;
}

describe('splitSentences', () => {
  it('keeps abbreviations, dates and decimals inside their sentence', () => {
    const text =
      'The U.S. Treasury sold bills on Jan. 5 vs. a year earlier. The index closed at 2,698.17, up 3.5 percentage points, e.g. small caps led. Mr. Powell spoke! Did yields move? Stocks rose in the U.S. They fell in Europe.';
    expect(splitSentences(text)).toEqual([
      'The U.S. Treasury sold bills on Jan. 5 vs. a year earlier.',
      'The index closed at 2,698.17, up 3.5 percentage points, e.g. small caps led.',
      'Mr. Powell spoke!',
      'Did yields move?',
      'Stocks rose in the U.S.',
      'They fell in Europe.',
    ]);
  });

  it('ends CJK sentences at full-width stops and keeps clause commas inside', () => {
    expect(splitSentences('美联储降息了。市场上涨！真的吗？是的，因为通胀回落；就业也稳定。')).toEqual([
      '美联储降息了。',
      '市场上涨！',
      '真的吗？',
      '是的，因为通胀回落；就业也稳定。',
    ]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n ')).toEqual([]);
  });
});

describe('estimateTokens', () => {
  it('counts about 1.3 tokens per Latin word and one per CJK character', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('Small caps rallied')).toBe(4); // 3 × 1.3 = 3.9
    expect(estimateTokens('closed at 2,698.17')).toBe(4); // the number is one word
    expect(estimateTokens('美联储降息')).toBe(5);
    expect(estimateTokens('Fed 降息')).toBe(4); // 1.3 + 2
  });
});

describe('chunkArticle', () => {
  const small = { targetTokens: 24, maxTokens: 34, minTokens: 6, overlapSentences: 1 };

  it('produces exactly the expected passages for a small article', () => {
    const article = makeArticle(
      [
        {
          heading: 'Overview',
          paragraphs: [
            'The Russell 2000 closed at a record on Wednesday. It gained 1.35% in one session. Large caps lagged behind.',
            'Analysts pointed to the U.S. rate outlook. Lower rates help smaller firms borrow.',
          ],
        },
        { heading: 'Empty', paragraphs: ['   ', ''] },
        { heading: 'Outlook', paragraphs: ['Strategists expect the rotation into smaller companies to continue through February. Risks remain.'] },
        { paragraphs: ['A short note without a heading.'] },
      ],
      { published: '2026-01-22' },
    );
    expect(chunkArticle(article, small)).toEqual([
      {
        ordinal: 0,
        section: 'Overview',
        text: 'The Russell 2000 closed at a record on Wednesday. It gained 1.35% in one session.',
        embedText: 'Small caps lead | 2026-01-22 | Overview\nThe Russell 2000 closed at a record on Wednesday. It gained 1.35% in one session.',
      },
      {
        ordinal: 1,
        section: 'Overview',
        text: 'It gained 1.35% in one session. Large caps lagged behind.\n\nAnalysts pointed to the U.S. rate outlook.',
        embedText:
          'Small caps lead | 2026-01-22 | Overview\nIt gained 1.35% in one session. Large caps lagged behind.\n\nAnalysts pointed to the U.S. rate outlook.',
      },
      {
        // No overlap here: repeating "Analysts pointed …" (10.4 tokens) would exceed 35% of the target.
        ordinal: 2,
        section: 'Overview',
        text: 'Lower rates help smaller firms borrow.',
        embedText: 'Small caps lead | 2026-01-22 | Overview\nLower rates help smaller firms borrow.',
      },
      {
        // "Risks remain." is a tail below minTokens: it joins the passage before it.
        ordinal: 3,
        section: 'Outlook',
        text: 'Strategists expect the rotation into smaller companies to continue through February. Risks remain.',
        embedText: 'Small caps lead | 2026-01-22 | Outlook\nStrategists expect the rotation into smaller companies to continue through February. Risks remain.',
      },
      { ordinal: 4, text: 'A short note without a heading.', embedText: 'Small caps lead | 2026-01-22\nA short note without a heading.' },
    ]);
  });

  const sections: ParsedArticle['sections'] = [
    { heading: 'Market performance', paragraphs: [englishParagraph(0, 12), englishParagraph(12, 9)] },
    { heading: 'Drivers', paragraphs: [englishParagraph(21, 30)] },
    { heading: 'Nothing here', paragraphs: [] },
    { heading: 'Risks', paragraphs: [englishParagraph(51, 3)] },
  ];
  const article = makeArticle(sections);
  const chunks = chunkArticle(article);

  it('never spans two sections and carries the section heading', () => {
    expect(new Set(chunks.map((chunk) => chunk.section))).toEqual(new Set(['Market performance', 'Drivers', 'Risks']));
    for (const chunk of chunks) {
      const section = sections.find((candidate) => candidate.heading === chunk.section)!;
      const own = new Set(sentencesOf(section));
      for (const sentence of splitSentences(chunk.text)) expect(own.has(sentence)).toBe(true);
    }
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
  });

  it('keeps sentences whole and covers every sentence of every section in order', () => {
    for (const [heading, group] of chunksBySection(chunks)) {
      const expected = sentencesOf(sections.find((section) => section.heading === heading)!);
      const seen: string[] = [];
      for (const chunk of group)
        for (const sentence of splitSentences(chunk.text)) if (seen.at(-1) !== sentence && !seen.includes(sentence)) seen.push(sentence);
      expect(seen).toEqual(expected);
    }
  });

  it('keeps passages within the size bounds', () => {
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) {
      const tokens = estimateTokens(chunk.text);
      expect(tokens).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxTokens);
      expect(tokens).toBeGreaterThanOrEqual(CHUNK_DEFAULTS.minTokens);
    }
  });

  it('repeats the last sentence of a passage at the start of the next one in the same section', () => {
    let pairs = 0;
    for (const group of chunksBySection(chunks).values()) {
      for (let index = 1; index < group.length; index += 1) {
        expect(splitSentences(group[index]!.text)[0]).toBe(splitSentences(group[index - 1]!.text).at(-1));
        pairs += 1;
      }
    }
    expect(pairs).toBeGreaterThan(2);
    // No overlap across a section boundary: "Risks" starts with its own first sentence.
    const risks = chunks.find((chunk) => chunk.section === 'Risks')!;
    expect(splitSentences(risks.text)[0]).toBe(englishSentence(51));
  });

  it('merges a tiny trailing piece into the previous passage of the section', () => {
    // 16 sentences of ~26 tokens: two full passages, then one sentence plus a short tail (~29 tokens).
    const paragraph = `${englishParagraph(0, 16)} Volumes faded.`;
    const withoutMerge = chunkArticle(makeArticle([{ heading: 'Drivers', paragraphs: [paragraph] }]), { minTokens: 0 });
    expect(withoutMerge).toHaveLength(3);
    const merged = chunkArticle(makeArticle([{ heading: 'Drivers', paragraphs: [paragraph] }]));
    expect(merged).toHaveLength(2);
    expect(merged[1]!.text.endsWith(`${englishSentence(15)} Volumes faded.`)).toBe(true);
    expect(merged[1]!.text.startsWith(splitSentences(merged[0]!.text).at(-1)!)).toBe(true);
    expect(estimateTokens(merged[1]!.text)).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxTokens);
  });

  it('ignores empty sections and returns nothing for an empty article', () => {
    expect(chunkArticle(makeArticle([]))).toEqual([]);
    expect(chunkArticle(makeArticle([{ heading: 'Blank', paragraphs: ['', '  '] }, { paragraphs: [] }]))).toEqual([]);
  });

  it('is deterministic', () => {
    expect(chunkArticle(article)).toEqual(chunks);
  });

  it('chunks a long Chinese paragraph into several passages ending at sentence or clause punctuation', () => {
    const paragraph = chineseParagraph(56);
    expect(paragraph.length).toBeGreaterThan(1900);
    const result = chunkArticle(makeArticle([{ heading: '市场概况', paragraphs: [paragraph] }], { title: '小盘股领涨' }));
    expect(result.length).toBeGreaterThanOrEqual(5);
    for (const chunk of result) {
      expect(chunk.section).toBe('市场概况');
      expect(chunk.text).toMatch(/[。！？，；、]$/u);
      expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxTokens);
      expect(chunk.embedText).toBe(`小盘股领涨 | 市场概况\n${chunk.text}`);
    }
    // Every sentence of the paragraph survives, whole, in some passage.
    const joined = result.map((chunk) => chunk.text).join('');
    for (const sentence of splitSentences(paragraph)) expect(joined).toContain(sentence);
  });

  it('cuts CJK text without any punctuation into passages under the maximum', () => {
    const run = '小盘股指数创出历史新高投资者情绪明显改善'.repeat(40); // 800 characters, no punctuation
    const result = chunkArticle(makeArticle([{ paragraphs: [run] }]));
    expect(result.length).toBeGreaterThanOrEqual(3);
    for (const chunk of result) expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxTokens);
    expect(result.map((chunk) => chunk.text).join('')).toContain(run.slice(0, 100));
    expect(new Set(result.map((chunk) => chunk.text).join(''))).toEqual(new Set(run));
  });

  it('splits a single sentence longer than the maximum at clause punctuation', () => {
    const clauses = Array.from({ length: 60 }, (_, index) => `the ${TOPICS[index % TOPICS.length]} group moved ${index} basis points`);
    const sentence = `During the session ${clauses.join(', ')}.`;
    expect(estimateTokens(sentence)).toBeGreaterThan(CHUNK_DEFAULTS.maxTokens);
    const result = chunkArticle(makeArticle([{ heading: 'Tape', paragraphs: [sentence] }]));
    expect(result.length).toBeGreaterThanOrEqual(2);
    for (const chunk of result) {
      expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxTokens);
      expect(chunk.text).toMatch(/[,.]$/);
    }
    // Nothing is lost: every clause appears in some passage.
    for (const clause of clauses) expect(result.some((chunk) => chunk.text.includes(clause))).toBe(true);
  });

  it('hard-cuts a Latin sentence with no clause punctuation at word boundaries', () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`);
    const pieces = splitLongSentence(words.join(' '), 100);
    expect(pieces.length).toBe(6); // 76 words (98.8 tokens) per piece
    for (const piece of pieces) expect(estimateTokens(piece)).toBeLessThanOrEqual(100);
    expect(pieces.join('')).toBe(words.join(' '));
  });
});
