import type { Source } from '../types.ts';

/**
 * Sources as the model reads them: numbered `<source>` blocks of quoted material (pure).
 * Angle brackets inside a passage are escaped so a passage cannot close its block or open a fake
 * one; `&` is left alone so names such as S&P 500 read as written.
 */
export function escapeQuotedText(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeQuotedText(value).replace(/"/g, '&quot;').replace(/\s+/g, ' ').trim();
}

export function formatSourceBlock(n: number, source: Source): string {
  if (source.kind === 'article') {
    const attributes = [
      `n="${n}"`,
      `title="${escapeAttribute(source.article.title)}"`,
      ...(source.article.published ? [`published="${source.article.published}"`] : []),
      ...(source.chunk.section ? [`section="${escapeAttribute(source.chunk.section)}"`] : []),
    ];
    return `<source ${attributes.join(' ')}>\n${escapeQuotedText(source.chunk.text)}\n</source>`;
  }
  return `<source n="${n}" tool="${escapeAttribute(source.tool)}">\n${escapeQuotedText(JSON.stringify(source.result))}\n</source>`;
}

/** Blocks for `sources[first…]`, numbered by their position in the answer's source list. */
export function formatSourceBlocks(sources: readonly Source[], first = 0): string {
  return sources
    .slice(first)
    .map((source, offset) => formatSourceBlock(first + offset, source))
    .join('\n\n');
}
