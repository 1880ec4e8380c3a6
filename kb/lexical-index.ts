import MiniSearch from 'minisearch';
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
  terms: string[];
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

export class LexicalIndex {
  private search_: MiniSearch<LexicalDocument>;

  private constructor(search: MiniSearch<LexicalDocument>) {
    this.search_ = search;
  }

  static create(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<LexicalDocument>(options()));
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalDocument>(json, options()));
  }

  get size(): number {
    return this.search_.documentCount;
  }

  add(document: LexicalDocument): void {
    if (this.search_.has(document.id)) this.search_.discard(document.id);
    this.search_.add(document);
  }

  remove(id: string): void {
    if (this.search_.has(id)) this.search_.discard(id);
  }

  has(id: string): boolean {
    return this.search_.has(id);
  }

  /** BM25 hits for already-tokenised query terms (OR semantics), best first. */
  search(terms: string[], k: number, accept?: (id: string) => boolean): LexicalHit[] {
    if (terms.length === 0 || k <= 0) return [];
    const results = this.search_.search(
      { combineWith: 'OR', queries: terms },
      accept ? { filter: (result) => accept(String(result.id)) } : {},
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

  toJSON(): string {
    return JSON.stringify(this.search_);
  }
}
