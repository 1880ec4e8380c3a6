import { LRUCache } from 'lru-cache';
import { nextTurn } from '../../lib/fair-turns.ts';

export const TITLE_INDEX_DEFAULTS = {
  /** Longest stretch of a build between two turns of the event loop (see TitleIndex.build). */
  sliceMs: 5,
  /** Articles indexed between two looks at the clock. */
  clockEvery: 64,
};

export interface TitledArticle {
  id: string;
  title: string;
}

/** One article's title as matching reads it. */
export interface IndexedTitle {
  id: string;
  /** The title as stored. */
  raw: string;
  /** Normalised (see normalizeTitle): words separated by one space. */
  title: string;
  titleWords: number;
}

/** Lower case, letters and digits only, one space between words; a trailing ellipsis is dropped. */
export function normalizeTitle(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(?:…|\.{3})\s*$/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Titles are normalised again each time the knowledge base changes, so normalised titles are
 * memoised (normalising 10,000 titles took tens of milliseconds). Pure function, bounded cache.
 */
const normalizedTitles = new LRUCache<string, { title: string; titleWords: number }>({ max: 200_000 });

function normalizedTitleOf(raw: string): { title: string; titleWords: number } {
  let entry = normalizedTitles.get(raw);
  if (!entry) {
    const title = normalizeTitle(raw);
    entry = { title, titleWords: title.split(' ').length };
    normalizedTitles.set(raw, entry);
  }
  return entry;
}

/**
 * Every article's title, indexed for the two questions title matching asks: which titles hold a
 * phrase word for word, and which titles a question writes out whole. Scanning every title for
 * each question cost 10–20 ms a chat at 10,000 articles (and grows with the library); with the
 * index a question looks up only the titles sharing its words. Matches come back in the order the
 * articles were last given.
 *
 * Kept up to date by `update` with what changed since (see `titleIndexOf`): rebuilding it for
 * every knowledge-base version took 40–50 ms at 10,000 articles, and with uploads arriving every
 * few tens of milliseconds nearly every question paid for one, in one block of the event loop.
 */
export class TitleIndex {
  /** By position; a title replaced or removed leaves `undefined` until the index is rebuilt. */
  private readonly entries: (IndexedTitle | undefined)[] = [];
  /** Positions (in `entries`) of the titles holding each word. */
  private readonly byWord = new Map<string, number[]>();
  /** Positions of the titles with each normalised form. */
  private readonly byTitle = new Map<string, number[]>();
  private readonly positionOf = new Map<string, number>();
  /** By position: the update that last found the title in the list given (see `update`). */
  private readonly seenIn: number[] = [];
  private generation = 0;
  /** The list last given, and each article's place in it (worked out when a lookup first needs it). */
  private latest: readonly TitledArticle[] = [];
  private order: Map<string, number> | undefined;
  private vacated = 0;

  static of(articles: Iterable<TitledArticle>): TitleIndex {
    const index = new TitleIndex();
    index.update(articles);
    return index;
  }

  /**
   * The index `of` builds, built a slice of at most about `sliceMs` at a time with `pause` awaited
   * between slices: in one piece, a library of 100,000 articles (1M passages) blocked the event
   * loop for 0.73 s on the first chat after a start, every other request waiting.
   */
  static async build(articles: readonly TitledArticle[], options: { pause?: () => Promise<void>; sliceMs?: number } = {}): Promise<TitleIndex> {
    const { pause = nextTurn, sliceMs = TITLE_INDEX_DEFAULTS.sliceMs } = options;
    const index = new TitleIndex();
    const generation = (index.generation += 1);
    index.latest = [...articles];
    let sliceStarted = performance.now();
    for (let place = 0; place < articles.length; place += 1) {
      index.take(articles[place]!, generation);
      if (place % TITLE_INDEX_DEFAULTS.clockEvery === 0 && performance.now() - sliceStarted >= sliceMs) {
        await pause();
        sliceStarted = performance.now();
      }
    }
    // A list naming one article twice leaves the title given last, as `update` does.
    return index;
  }

  /** Brings the index to `articles` (the whole current list): titles added, renamed or gone are applied, others kept. */
  update(articles: Iterable<TitledArticle>): void {
    // A copy: the walk below compares with the list given last, which its caller may change after.
    const list: readonly TitledArticle[] = [...articles];
    const previous = this.latest;
    this.latest = list;
    this.order = undefined;
    // A store that gives the same object for an unchanged article (the embedded one does) gives,
    // after uploads, the list it gave before with the new articles after it: only those need
    // indexing. Walking the whole list by id took a chat 10 ms at 10,000 articles (profiled) while
    // another process was writing, the knowledge base's version changing between most questions.
    if (list.length >= previous.length && previous.every((article, place) => list[place] === article)) {
      for (let place = previous.length; place < list.length; place += 1) this.take(list[place]!, this.generation);
      return;
    }
    const generation = (this.generation += 1);
    let kept = 0;
    for (const article of this.latest) if (this.take(article, generation)) kept += 1;
    // Titles not in the list are gone; when every indexed title was found, there are none.
    if (kept === this.positionOf.size) return;
    for (const [id, position] of this.positionOf) if (this.seenIn[position] !== generation) this.vacate(id, position);
  }

  /** Indexes one article of the list of update `generation` (kept if unchanged): whether it now has a title here. */
  private take(article: TitledArticle, generation: number): boolean {
    const position = this.positionOf.get(article.id);
    if (position !== undefined && this.entries[position]!.raw === article.title) {
      this.seenIn[position] = generation;
      return true;
    }
    if (position !== undefined) this.vacate(article.id, position);
    return this.add(article);
  }

  /** Whether positions left by replaced or removed titles outnumber the titles (a rebuild is then cheaper to keep). */
  get sparse(): boolean {
    return this.vacated > Math.max(1_000, this.entries.length / 2);
  }

  /** Titles holding `phrase` (normalised) as whole words in a row. */
  holding(phrase: string): IndexedTitle[] {
    const words = phrase.split(' ');
    // The rarest word's titles are the candidates; the phrase itself decides.
    let candidates: number[] | undefined;
    for (const word of words) {
      const positions = this.byWord.get(word) ?? [];
      if (!candidates || positions.length < candidates.length) candidates = positions;
    }
    const padded = ` ${phrase} `;
    return this.inOrder((candidates ?? []).flatMap((position) => this.entries[position] ?? []).filter((entry) => ` ${entry.title} `.includes(padded)));
  }

  /** Titles of at least `minWords` words that `text` (normalised) writes out whole. */
  within(text: string, minWords: number): IndexedTitle[] {
    const words = text.split(' ');
    const positions = new Set<number>();
    for (let start = 0; start < words.length; start += 1) {
      // Only spans starting with a word some title holds can be a title.
      if (!this.byWord.has(words[start]!)) continue;
      for (let end = start + minWords; end <= words.length; end += 1) {
        for (const position of this.byTitle.get(words.slice(start, end).join(' ')) ?? []) positions.add(position);
      }
    }
    return this.inOrder([...positions].flatMap((position) => this.entries[position] ?? []));
  }

  private add(article: TitledArticle): boolean {
    const { title, titleWords } = normalizedTitleOf(article.title);
    if (!title) return false;
    const position = this.entries.length;
    this.entries.push({ id: article.id, raw: article.title, title, titleWords });
    this.seenIn[position] = this.generation;
    this.positionOf.set(article.id, position);
    for (const word of new Set(title.split(' '))) pushTo(this.byWord, word, position);
    pushTo(this.byTitle, title, position);
    return true;
  }

  /** The title at `position` no longer counts; the lists keep the position (lookups skip it) until a rebuild. */
  private vacate(id: string, position: number): void {
    this.entries[position] = undefined;
    this.positionOf.delete(id);
    this.vacated += 1;
  }

  private inOrder(entries: IndexedTitle[]): IndexedTitle[] {
    if (entries.length < 2) return entries;
    if (!this.order) {
      const order = new Map<string, number>();
      this.latest.forEach((article, place) => order.set(article.id, place));
      this.order = order;
    }
    const order = this.order;
    return entries.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
}

/**
 * The title index of a knowledge base at its current version, shared by every question until the
 * version changes; then brought up to date (rebuilt only once mostly vacated).
 */
export async function titleIndexOf(kb: { version(): Promise<number>; articleTitles(): Promise<TitledArticle[]> }): Promise<TitleIndex> {
  const version = await kb.version();
  const cached = builtIndexes.get(kb);
  if (cached && cached.version === version) return cached.index;
  const titles = await kb.articleTitles();
  // Another question may have brought it to this version while the titles were read.
  const current = builtIndexes.get(kb);
  if (current && current.version === version) return current.index;
  if (current && !current.index.sparse) {
    // Brought up to date in place, in one piece: what changed between two versions is a few
    // articles, and a question holding the index must never see it half updated.
    current.index.update(titles);
    builtIndexes.set(kb, { version, index: current.index });
    return current.index;
  }
  // A build is sliced (see TitleIndex.build); questions arriving meanwhile wait for the same one.
  const pending = buildingIndexes.get(kb);
  if (pending && pending.version === version) return await pending.index;
  const building = TitleIndex.build(titles);
  buildingIndexes.set(kb, { version, index: building });
  try {
    const index = await building;
    if ((builtIndexes.get(kb)?.version ?? -1) < version) builtIndexes.set(kb, { version, index });
    return index;
  } finally {
    if (buildingIndexes.get(kb)?.index === building) buildingIndexes.delete(kb);
  }
}

const builtIndexes = new WeakMap<object, { version: number; index: TitleIndex }>();
const buildingIndexes = new WeakMap<object, { version: number; index: Promise<TitleIndex> }>();

function pushTo(map: Map<string, number[]>, key: string, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}
