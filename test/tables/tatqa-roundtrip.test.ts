import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDocument } from '../../ingest/parse/parse-document.ts';
import { normalizeGrid } from '../../ingest/tables/grid.ts';
import type { TableData } from '../../kb/types.ts';

/**
 * Real annual-report tables (TAT-QA development split, read at run time from ../shared, never
 * copied here) rendered as an HTML page, a Markdown document and aligned plain text, then parsed back: the grid
 * must come back cell for cell (after the canonical tidy-up every reader applies: whitespace
 * collapsed, all-empty rows dropped).
 */
const datasetPath = path.resolve(import.meta.dirname, '../../../shared/datasets/tatqa-dev/tatqa_dataset_dev.json');
const available = existsSync(datasetPath);

const ContextSchema = z.object({
  table: z.object({ table: z.array(z.array(z.string())) }),
  paragraphs: z.array(z.object({ text: z.string() })),
});
const DatasetSchema = z.array(ContextSchema);

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function asHtml(context: z.infer<typeof ContextSchema>): string {
  const paragraphs = context.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph.text)}</p>`).join('\n');
  const rows = context.table.table.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html><html><head><title>Annual report extract</title></head><body><main>${paragraphs}\n<table>${rows}</table></main></body></html>`;
}

function asMarkdown(context: z.infer<typeof ContextSchema>): string {
  const line = (row: readonly string[]): string => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  const [head = [], ...body] = context.table.table;
  const table = [line(head), `|${' --- |'.repeat(head.length)}`, ...body.map(line)].join('\n');
  return `# Annual report extract\n\n${context.paragraphs.map((paragraph) => paragraph.text).join('\n\n')}\n\n${table}\n`;
}

function parsedTables(content: string, format: 'html' | 'markdown' | 'text'): TableData[] {
  const outcome = parseDocument({ content, format });
  if (outcome.status !== 'ok') throw new Error(`parse failed: ${outcome.status}`);
  return outcome.articles.flatMap((article) => article.sections.flatMap((section) => section.tables ?? []));
}

describe.skipIf(!available)('TAT-QA tables survive HTML and Markdown round trips', () => {
  const contexts = available ? DatasetSchema.parse(JSON.parse(readFileSync(datasetPath, 'utf8'))) : [];

  it('reads every table back from an HTML page, cell for cell', () => {
    const mismatches: number[] = [];
    contexts.forEach((context, index) => {
      const tables = parsedTables(asHtml(context), 'html');
      if (tables.length !== 1 || JSON.stringify(tables[0]?.rows) !== JSON.stringify(normalizeGrid(context.table.table))) mismatches.push(index);
    });
    expect(contexts.length).toBeGreaterThan(200);
    expect(mismatches).toEqual([]);
  });

  it('reads every table back from a Markdown document, cell for cell', () => {
    const mismatches: number[] = [];
    contexts.forEach((context, index) => {
      const tables = parsedTables(asMarkdown(context), 'markdown');
      if (tables.length !== 1 || JSON.stringify(tables[0]?.rows) !== JSON.stringify(normalizeGrid(context.table.table))) mismatches.push(index);
    });
    expect(mismatches).toEqual([]);
  });

  it('reads most tables back from plain text aligned with spaces (labels left, figures right)', () => {
    // Aligned text is ambiguous where a printed title sits at the left margin or a centred header
    // overhangs two columns; the grid must still come back exactly for most real tables.
    let exact = 0;
    for (const context of contexts) {
      const grid = normalizeGrid(context.table.table);
      const widths = (grid[0] ?? []).map((_, column) => Math.max(...grid.map((row) => (row[column] ?? '').length)));
      const lines = grid.map((row) =>
        row
          .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
          .join('   ')
          .trimEnd(),
      );
      const text = `${context.paragraphs[0]?.text ?? 'Extract'}\n\n${lines.join('\n')}\n`;
      const tables = parsedTables(text, 'text');
      if (tables.length === 1 && JSON.stringify(tables[0]?.rows) === JSON.stringify(grid)) exact += 1;
    }
    expect(exact / contexts.length).toBeGreaterThan(0.75);
  });

  it('finds a header row and at least one body row in nearly every table', () => {
    const tables = contexts.flatMap((context) => parsedTables(asHtml(context), 'html'));
    const plausible = tables.filter((table) => table.headerRows >= 1 && table.headerRows < table.rows.length);
    expect(plausible.length / tables.length).toBeGreaterThan(0.95);
  });
});
