import { passageId, parsePassageId } from '../content-hash.ts';
import { LexicalIndex } from '../lexical-index.ts';
import { compileFilter, isEmptyFilter } from '../store-filter.ts';
import type { LexicalSearchResult, StoreFilter, TermStatistics, VectorHit, WeightedQueryTerm } from '../store.ts';
import type { VectorGraph } from '../vector-graph.ts';
import type { LabelFilter } from '../vector-index.ts';
import { type ArticleMeta, ArticleMetaInterner } from './article-meta.ts';

export const SEARCH_INDEX_DEFAULTS = {
  /**
   * A filtered vector search over at most this many passages is exact (every one scored on the
   * graph's thread): a restrictive filter makes the graph walk long, since it must pass many
   * rejected passages to find enough accepted ones. Measured at 100k passages over subsets of
   * whole articles, generated questions (`bench/suite/filtered-vector-bench.ts`): graph walk 56.4 /
   * 34.5 / 20.6 / 9.8 / 5.6 ms for 500 / 1k / 2k / 5k / 10k passages (recall@8 1.0), exact 4.8 /
   * 8.5 / 16.7 / 41.5 / 82.5 ms (hnswlib hands a vector out at about 8 µs): they cross near 2,500.
   * Since vectors are read from the graph's saved file (kb/saved-vectors.ts; 6 December, session
   * 25), exact takes 0.8 / 0.9 / 1.6 / 4.0 / 7.6 ms, crossing the walk near 7,000; the limit stays
   * here because passages added since the last snapshot are still handed out by hnswlib, and a
   * filter over thousands of them would take the old cost.
   */
  exactFilteredLimit: 2_500,
  /**
   * While at most this many passages are indexed but not yet visible (a change being applied), an
   * unfiltered search asks the graph for that many more neighbours and drops them, instead of
   * passing hnswlib a filter: its filter calls back into JavaScript for every candidate (0.45 →
   * 0.63 ms a search at 100k passages), and writes beside searches keep a few passages hidden most
   * of the time.
   */
  overfetchHidden: 128,
};

/** A passage to put into the indexes. */
export interface IndexedPassage {
  label: number;
  text: string;
  section: string;
  title: string;
  vector: Float32Array;
}

/**
 * The embedded store's in-memory search state: the hnswlib graph and the BM25 index over integer
 * labels, the articles' metadata, and which article owns each label. Labels never leave this
 * module: searches answer with passage ids.
 *
 * A change is applied in two steps so that a search never sees half of an article: its passages
 * are indexed first (possibly over several event-loop turns) while they are still unowned, hence
 * invisible; then `publish` swaps ownership in one synchronous step (new passages visible, the
 * previous version's passages gone).
 */
export class SearchIndex {
  readonly vectors: VectorGraph;
  readonly lexical: LexicalIndex;
  readonly articles = new Map<string, ArticleMeta>();
  /** The last change applied. */
  appliedSeq: number;
  /**
   * Which published article owns each label, as a slot of `owners` (0: none). A typed array, so the
   * garbage collector traces one reference per article rather than one per passage: an array of
   * metas by label held a million at 1M passages, and every collection that moved a page of metas
   * rewrote all the slots pointing into it on the main thread.
   */
  private ownerSlots = new Int32Array(1024);
  /** The published articles' metadata by slot (slot 0 stays empty). */
  private readonly owners: (ArticleMeta | undefined)[] = [undefined];
  private readonly freeSlots: number[] = [];
  /** Labels indexed but not yet published (a change being applied). */
  private readonly hidden = new Set<number>();
  private passageCount = 0;
  private readonly metas = new ArticleMetaInterner();

  constructor(vectors: VectorGraph, lexical: LexicalIndex, appliedSeq: number, articles: Iterable<ArticleMeta>) {
    this.vectors = vectors;
    this.lexical = lexical;
    this.appliedSeq = appliedSeq;
    for (const meta of articles) this.own(meta);
  }

  static empty(vectors: VectorGraph): SearchIndex {
    return new SearchIndex(vectors, LexicalIndex.create(), 0, []);
  }

  get passages(): number {
    return this.passageCount;
  }

  /**
   * Indexes a passage of a change not yet published (invisible to searches until then).
   * `background`: searches need not wait for its vector insert (the caller settles the graph
   * before publishing).
   */
  indexPassage(passage: IndexedPassage, options: { background?: boolean } = {}): void {
    this.vectors.add(passage.label, passage.vector, options);
    this.lexical.add({ label: passage.label, text: passage.text, section: passage.section, title: passage.title });
    this.hidden.add(passage.label);
  }

  /**
   * Makes a change visible at once: the article's previous passages leave the indexes, its new
   * version (or nothing, for a deletion) takes ownership of its freshly indexed labels.
   * `removedText` gives the previous passages' text so BM25's document frequencies stay exact; a
   * text the database no longer holds (purged after a snapshot while this process lagged over a
   * minute) only leaves those frequencies slightly high until the next start.
   */
  publish(seq: number, articleId: string, meta: ArticleMeta | null, removedText: Map<number, string>): void {
    const previous = this.articles.get(articleId);
    if (previous) {
      this.disown(previous);
      for (let label = previous.firstLabel; label < previous.firstLabel + previous.passages; label += 1) {
        this.vectors.remove(label);
        this.lexical.remove({ label, text: removedText.get(label) });
      }
    }
    if (meta) {
      this.own(meta);
      for (let label = meta.firstLabel; label < meta.firstLabel + meta.passages; label += 1) this.hidden.delete(label);
    }
    this.appliedSeq = seq;
  }

  termStatistics(terms: string[]): TermStatistics {
    return {
      passages: this.lexical.size,
      documentFrequency: new Map(terms.map((term) => [term, this.lexical.frequencyOf(term)])),
    };
  }

  labelOf(id: string): number | undefined {
    const parsed = parsePassageId(id);
    const meta = parsed && this.articles.get(parsed.articleId);
    if (!parsed || !meta || parsed.ordinal >= meta.passages) return undefined;
    return meta.firstLabel + parsed.ordinal;
  }

  passageIdOf(label: number): string | undefined {
    const meta = this.ownerOf(label);
    return meta ? passageId(meta.id, label - meta.firstLabel) : undefined;
  }

  async vectorSearch(vector: Float32Array, k: number, filter: StoreFilter | undefined): Promise<VectorHit[]> {
    const accepted = this.acceptedArticles(filter);
    const toHits = (hits: { label: number; similarity: number }[]) =>
      hits.flatMap(({ label, similarity }) => {
        const id = this.passageIdOf(label);
        return id ? [{ passageId: id, similarity }] : [];
      });
    if (!accepted) {
      const hidden = this.hidden.size;
      if (hidden === 0) return toHits(await this.vectors.search(vector, k));
      // Hidden passages belong to no article yet, so `toHits` drops them.
      if (hidden <= SEARCH_INDEX_DEFAULTS.overfetchHidden) return toHits(await this.vectors.search(vector, k + hidden)).slice(0, k);
      return toHits(await this.vectors.search(vector, k, { exclude: Int32Array.from(this.hidden) }));
    }
    let subset = 0;
    for (const meta of accepted) subset += meta.passages;
    if (subset > SEARCH_INDEX_DEFAULTS.exactFilteredLimit) return toHits(await this.vectors.search(vector, k, labelRangesOf(accepted)));
    // Exact: every accepted passage scored by the graph's thread (its vectors are in memory there).
    const labels = new Int32Array(subset);
    let filled = 0;
    for (const meta of accepted) {
      for (let label = meta.firstLabel; label < meta.firstLabel + meta.passages; label += 1) labels[filled++] = label;
    }
    const similarities = await this.vectors.similarities(labels, vector);
    const exact: { label: number; similarity: number }[] = [];
    labels.forEach((label, position) => {
      const similarity = similarities[position]!;
      if (!Number.isNaN(similarity)) exact.push({ label, similarity });
    });
    exact.sort((a, b) => b.similarity - a.similarity || a.label - b.label);
    return toHits(exact.slice(0, k));
  }

  /** Cosine similarity of `vector` to each visible passage's vector, by passage id (unknown ids left out). */
  async similaritiesOf(ids: string[], vector: Float32Array): Promise<Map<string, number>> {
    const known = ids.flatMap((id) => {
      const label = this.labelOf(id);
      return label === undefined ? [] : [{ id, label }];
    });
    if (known.length === 0) return new Map();
    const similarities = await this.vectors.similarities(
      Int32Array.from(known, ({ label }) => label),
      vector,
    );
    const result = new Map<string, number>();
    known.forEach(({ id }, position) => {
      const similarity = similarities[position]!;
      if (!Number.isNaN(similarity)) result.set(id, similarity);
    });
    return result;
  }

  lexicalSearch(terms: WeightedQueryTerm[], k: number, filter: StoreFilter | undefined, report: string[]): LexicalSearchResult {
    const accepted = this.acceptedArticles(filter);
    const accept = accepted
      ? (label: number) => {
          const meta = this.ownerOf(label);
          return meta !== undefined && accepted.has(meta);
        }
      : this.hidden.size > 0
        ? (label: number) => this.ownerOf(label) !== undefined
        : undefined;
    const reportLabels = report.flatMap((id) => {
      const label = this.labelOf(id);
      return label === undefined ? [] : [label];
    });
    const result = this.lexical.search(terms, k, accept ? { accept, report: reportLabels } : { report: reportLabels });
    const termsOf = (mask: number) => result.terms.filter((_, bit) => (mask & (1 << bit)) !== 0);
    const hits = result.hits.flatMap((hit) => {
      const id = this.passageIdOf(hit.label);
      return id ? [{ passageId: id, score: hit.score, matchedTerms: termsOf(hit.mask) }] : [];
    });
    const reported = new Map<string, string[]>();
    for (const [label, mask] of result.reported) {
      const id = this.passageIdOf(label);
      if (id) reported.set(id, termsOf(mask));
    }
    return { hits, reported };
  }

  /** Labels of every published passage (what a snapshot holds). */
  *liveLabels(): Generator<number> {
    for (const meta of this.articles.values()) {
      for (let label = meta.firstLabel; label < meta.firstLabel + meta.passages; label += 1) yield label;
    }
  }

  /** The articles a filter accepts, or undefined when it accepts everything. */
  private acceptedArticles(filter: StoreFilter | undefined): Set<ArticleMeta> | undefined {
    if (isEmptyFilter(filter)) return undefined;
    const predicate = compileFilter(filter);
    const candidates = filter?.articleIds ? filter.articleIds.flatMap((id) => this.articles.get(id) ?? []) : this.articles.values();
    const accepted = new Set<ArticleMeta>();
    for (const meta of candidates) if (predicate(meta)) accepted.add(meta);
    return accepted;
  }

  private ownerOf(label: number): ArticleMeta | undefined {
    return label < this.ownerSlots.length ? this.owners[this.ownerSlots[label]!] : undefined;
  }

  private own(parsed: ArticleMeta): void {
    const meta = this.metas.compact(parsed);
    this.articles.set(meta.id, meta);
    this.passageCount += meta.passages;
    // An article without passages owns no label, so it takes no slot.
    if (meta.passages === 0) return;
    const end = meta.firstLabel + meta.passages;
    if (this.ownerSlots.length < end) {
      const grown = new Int32Array(Math.max(end, this.ownerSlots.length * 2));
      grown.set(this.ownerSlots);
      this.ownerSlots = grown;
    }
    const slot = this.freeSlots.pop() ?? this.owners.length;
    this.owners[slot] = meta;
    this.ownerSlots.fill(slot, meta.firstLabel, end);
  }

  private disown(meta: ArticleMeta): void {
    this.articles.delete(meta.id);
    this.passageCount -= meta.passages;
    if (meta.passages === 0) return;
    const slot = this.ownerSlots[meta.firstLabel]!;
    this.owners[slot] = undefined;
    this.freeSlots.push(slot);
    this.ownerSlots.fill(0, meta.firstLabel, meta.firstLabel + meta.passages);
  }
}

/** The label ranges of published articles, sorted and merged (an article's passages take consecutive labels). */
export function labelRangesOf(articles: Iterable<ArticleMeta>): LabelFilter {
  const spans = [...articles].filter((meta) => meta.passages > 0).sort((a, b) => a.firstLabel - b.firstLabel);
  const ranges: number[] = [];
  for (const meta of spans) {
    const end = meta.firstLabel + meta.passages;
    if (ranges.length > 0 && ranges[ranges.length - 1] === meta.firstLabel) ranges[ranges.length - 1] = end;
    else ranges.push(meta.firstLabel, end);
  }
  return { ranges: Int32Array.from(ranges) };
}
