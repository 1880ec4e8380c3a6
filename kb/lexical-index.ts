import MiniSearch from 'minisearch';
import { z } from 'zod';
import { readJsonLines, writeJsonLinesAtomic } from './jsonl.ts';
import { tokenize } from './tokenize.ts';

/**
 * BM25 over passages (MiniSearch: it can add and discard documents after indexing, which the
 * incremental ingest needs, and serialises to JSON). Terms come from `tokenize`, shared with the
 * query side. Fields: the passage, its section heading and its article title, the last two
 * boosted lower so a heading match helps without drowning the passage.
 */

export interface LexicalDocument {
  id: string;
  text: string;
  section: string;
  title: string;
}

export interface LexicalHit {
  id: string;
  score: number;
  /** The query terms this passage matched. */
  terms: string[];
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

const FIELDS = ['text', 'section', 'title'];

function options() {
  return {
    fields: FIELDS,
    idField: 'id',
    tokenize: (text: string) => tokenize(text),
    processTerm: (term: string) => term,
    autoVacuum: false,
    searchOptions: {
      boost: { text: 1, section: 0.6, title: 0.4 },
      combineWith: 'OR' as const,
      // Default BM25 parameters (k1 1.2, b 0.7, d 0.5 for BM25+).
    },
  };
}

const SavedHeaderSchema = z.object({
  version: z.literal(2),
  documentFrequency: z.record(z.string(), z.number().int().nonnegative()),
  /** MiniSearch's plain object without its term index, which follows one entry per line. */
  plain: z.record(z.string(), z.unknown()),
});

export class LexicalIndex {
  private search_: MiniSearch<LexicalDocument>;
  /**
   * Passages containing each term (text field). MiniSearch keeps this privately; the retrieval
   * layer needs it for an absolute, thresholdable score (IDF-weighted query coverage).
   */
  private documentFrequency: Map<string, number>;

  private constructor(search: MiniSearch<LexicalDocument>, documentFrequency: Map<string, number>) {
    this.search_ = search;
    this.documentFrequency = documentFrequency;
  }

  static create(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<LexicalDocument>(options()), new Map());
  }

  /** Reads an index written by `write` (JSON Lines: a header, then the term index an entry per line). */
  static read(path: string): LexicalIndex {
    const terms: unknown[] = [];
    const header = SavedHeaderSchema.parse(readJsonLines(path, (entry) => terms.push(entry)));
    const plain = { ...header.plain, index: terms } as unknown as Parameters<typeof MiniSearch.loadJS>[0];
    return new LexicalIndex(MiniSearch.loadJS<LexicalDocument>(plain, options()), new Map(Object.entries(header.documentFrequency)));
  }

  /** Passages whose text contains the term. */
  frequencyOf(term: string): number {
    return this.documentFrequency.get(term) ?? 0;
  }

  /** Inverse document frequency (BM25's smoothed form), 0 for a term in every passage. */
  idf(term: string): number {
    const count = this.search_.documentCount;
    const frequency = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
  }

  get size(): number {
    return this.search_.documentCount;
  }

  add(document: LexicalDocument): void {
    if (this.search_.has(document.id)) throw new Error(`passage ${document.id} is already indexed`);
    this.search_.add(document);
    for (const term of new Set(tokenize(document.text))) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
  }

  /** Removes a passage; `document` must be the one that was added (its text drives the counts). */
  remove(document: LexicalDocument): void {
    if (!this.search_.has(document.id)) return;
    this.search_.discard(document.id);
    for (const term of new Set(tokenize(document.text))) {
      const next = (this.documentFrequency.get(term) ?? 1) - 1;
      if (next > 0) this.documentFrequency.set(term, next);
      else this.documentFrequency.delete(term);
    }
  }

  has(id: string): boolean {
    return this.search_.has(id);
  }

  /** BM25 hits for already-tokenised, weighted query terms (OR semantics), best first. */
  search(terms: WeightedTerm[], k: number, accept?: (id: string) => boolean): LexicalHit[] {
    if (terms.length === 0 || k <= 0) return [];
    const weights = new Map<string, number>();
    for (const { term, weight } of terms) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    const results = this.search_.search(
      { combineWith: 'OR', queries: [...weights.keys()] },
      {
        boostTerm: (term) => weights.get(term) ?? 1,
        ...(accept ? { filter: (result) => accept(String(result.id)) } : {}),
      },
    );
    return results.slice(0, k).map((result) => ({ id: String(result.id), score: result.score, terms: result.terms }));
  }

  /** Drops discarded documents from the term tree; call before saving after many deletions. */
  async compact(): Promise<void> {
    if (this.search_.dirtCount > 0) await this.search_.vacuum();
  }

  get dirtFactor(): number {
    return this.search_.dirtFactor;
  }

  /** Writes the index atomically as JSON Lines (no single string holds it: 300k passages exceed V8's limit). */
  write(path: string): void {
    const { index, ...plain } = this.search_.toJSON();
    writeJsonLinesAtomic(path, { version: 2, documentFrequency: Object.fromEntries(this.documentFrequency), plain }, index);
  }
}
