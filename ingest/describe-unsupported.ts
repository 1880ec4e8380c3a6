import { extname } from 'node:path';

/**
 * One line for the files a folder ingest left out, counted by type with a few examples:
 * "  not ingested (type not supported; ingest reads .html .md …): 2 .docx (a.docx, b.docx), 1 without an extension (NOTES)".
 */
export function describeUnsupported(paths: string[], supported: readonly string[], examplesPerType = 3): string {
  const byType = new Map<string, string[]>();
  for (const path of paths) {
    const type = extname(path).toLowerCase() || 'without an extension';
    byType.set(type, [...(byType.get(type) ?? []), path.split(/[\\/]/).pop() ?? path]);
  }
  const parts = [...byType]
    .sort(([a, left], [b, right]) => right.length - left.length || a.localeCompare(b))
    .map(([type, names]) => `${names.length} ${type} (${names.slice(0, examplesPerType).join(', ')}${names.length > examplesPerType ? ', …' : ''})`);
  return `  not ingested (type not supported; ingest reads ${supported.join(' ')}): ${parts.join(', ')}`;
}
