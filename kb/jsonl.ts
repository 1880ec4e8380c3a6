import { readFileSync } from 'node:fs';

/**
 * JSON Lines files for the knowledge base's large structures: one header line, then one record
 * per line. Written and read a record at a time, so size is bounded by the disk, not by the
 * longest string V8 can hold (≈ 512 MB: one JSON document for 300k passages exceeds it).
 */

/** Reads a JSON Lines file: the parsed header and a callback per record, in order. */
export function readJsonLines(path: string, onRecord: (record: unknown) => void): unknown {
  const bytes = readFileSync(path);
  let header: unknown;
  let start = 0;
  let first = true;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      const value: unknown = JSON.parse(bytes.toString('utf8', start, end));
      if (first) {
        header = value;
        first = false;
      } else onRecord(value);
    }
    start = end + 1;
  }
  if (first) throw new Error(`${path} is empty`);
  return header;
}
