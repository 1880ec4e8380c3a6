import type { TatqaContext } from './dataset.ts';

/**
 * A context as a user would have it: a Markdown document with the report's table (as printed, header
 * rows first) and the paragraphs around it. The title is neutral (the dataset names no document),
 * so nothing about a question leaks into it.
 */
export function renderContextMarkdown(context: TatqaContext, title: string): string {
  const rows = context.table.table;
  const width = Math.max(1, ...rows.map((row) => row.length));
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, index) => escapeCell(cells[index] ?? '')).join(' | ')} |`;
  const table = rows.length > 0 ? [line(rows[0]!), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(line)].join('\n') : '';
  const paragraphs = [...context.paragraphs].sort((a, b) => a.order - b.order).map((paragraph) => paragraph.text.trim());
  return `${[`# ${title}`, table, ...paragraphs].filter(Boolean).join('\n\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
