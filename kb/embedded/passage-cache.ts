import { LRUCache } from 'lru-cache';
import type { Passage } from '../store.ts';

/**
 * Passages read, by label (a label's passage never changes), each text kept as UTF-8 bytes outside
 * V8's heap and decoded again for each read. Why not the passage objects themselves: a fresh
 * question at 100k passages caches about sixteen passages, and their ~1 KB texts were most of what
 * survived young collections. Each scavenge copied them into fresh old-space pages, and on a
 * machine where a page fault costs 11 µs (a nested VM) the faults were most of a 4–8 ms pause:
 * profiled, 1,957 of 3,130 page faults in a first pass of 400 questions were the scavenger's, 399
 * with the cache off. Kept off the heap, a text's bytes are written once when read from the
 * database; decoding one again costs well under a microsecond a kilobyte.
 */
export class PassageCache {
  private readonly entries: LRUCache<number, CachedPassage>;

  /** `maxBytes`: the texts' UTF-8 bytes kept at most (the rest of each entry is small). */
  constructor(maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: ({ text }) => Math.max(1, text.length) });
  }

  /** The passage under `label`, a new frozen object each time (its table, if any, shared and frozen). */
  get(label: number): Passage | undefined {
    const entry = this.entries.get(label);
    return entry && Object.freeze({ ...entry.fields, text: decode(entry) });
  }

  /** Its text alone, without counting as a use (for work that should not keep it cached). */
  text(label: number): string | undefined {
    const entry = this.entries.peek(label);
    return entry && decode(entry);
  }

  set(label: number, passage: Passage): void {
    const { text, ...fields } = passage;
    // A buffer of its own (not a slice of Node's shared pool): a pooled slab stays allocated while
    // any passage cut from it is cached, whatever the cache evicted around it.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    bytes.write(text);
    this.entries.set(label, { fields, text: bytes, ascii: bytes.length === text.length });
  }
}

interface CachedPassage {
  fields: Omit<Passage, 'text'>;
  text: Buffer;
  /** As many bytes as UTF-16 units: every character is ASCII, so decoding needs no UTF-8 reading. */
  ascii: boolean;
}

function decode({ text, ascii }: CachedPassage): string {
  return text.toString(ascii ? 'latin1' : 'utf8');
}
