/**
 * An HTML `<table>` into TableData: rows in display order (head, bodies, foot), `rowspan` and
 * `colspan` expanded, header rows from `<thead>` or rows of `<th>` (more found by the shared rule),
 * the `<caption>`. Layout tables (a table inside a table, `role="presentation"`, cells holding
 * whole paragraphs of prose) are not data: the caller reads them as ordinary blocks.
 */
import type { AnyNode, Element } from 'domhandler';
import type { TableData } from '../../kb/types.ts';
import { buildTable, expandSpans, type SpanCell } from '../tables/grid.ts';

export const HTML_TABLE_DEFAULTS = {
  /** A cell with more text than this is a page layout cell, not a table cell. */
  maxCellChars: 600,
};

export interface HtmlTableOptions {
  /** Elements a reader cannot see; their text is not part of the table. */
  isHidden: (element: Element) => boolean;
}

const BREAKING_TAGS = new Set([
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'td',
  'th',
  'section',
  'pre',
  'blockquote',
  'dd',
  'dt',
]);

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag';
}

function elementChildren(node: AnyNode): Element[] {
  const children = 'children' in node && Array.isArray(node.children) ? (node.children as AnyNode[]) : [];
  return children.filter(isElement);
}

/** Visible text of a cell, with a space wherever a line break or a block boundary was. */
function cellText(cell: Element, options: HtmlTableOptions): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [cell];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text' && 'data' in node) {
      parts.push(String(node.data));
      continue;
    }
    if (node.type === 'script' || node.type === 'style') continue;
    if (!isElement(node)) continue;
    if (node !== cell && options.isHidden(node)) continue;
    if (BREAKING_TAGS.has(node.name.toLowerCase())) parts.push(' ');
    const children = 'children' in node ? (node.children as AnyNode[]) : [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function hasDescendant(root: Element, name: string): boolean {
  const stack: Element[] = elementChildren(root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.name.toLowerCase() === name) return true;
    stack.push(...elementChildren(node));
  }
  return false;
}

/** True when the table lays out a page rather than holding data. */
export function isLayoutTable(table: Element): boolean {
  const role = table.attribs.role?.trim().toLowerCase();
  return role === 'presentation' || role === 'none' || hasDescendant(table, 'table');
}

interface RowSource {
  row: Element;
  inHead: boolean;
}

/** Rows in display order: `<thead>` first, then bodies and bare rows, `<tfoot>` last. */
function collectRows(table: Element, options: HtmlTableOptions): RowSource[] {
  const head: RowSource[] = [];
  const body: RowSource[] = [];
  const foot: RowSource[] = [];
  for (const child of elementChildren(table)) {
    if (options.isHidden(child)) continue;
    const name = child.name.toLowerCase();
    if (name === 'tr') body.push({ row: child, inHead: false });
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
      const target = name === 'thead' ? head : name === 'tfoot' ? foot : body;
      for (const row of elementChildren(child)) {
        if (row.name.toLowerCase() === 'tr' && !options.isHidden(row)) target.push({ row, inHead: name === 'thead' });
      }
    }
  }
  return [...head, ...body, ...foot];
}

function readSpan(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const span = Number.parseInt(value, 10);
  return Number.isFinite(span) && span > 0 ? span : undefined;
}

/** The table's grid, or undefined when it is layout or holds fewer than two cells of text. */
export function readHtmlTable(table: Element, options: HtmlTableOptions): TableData | undefined {
  if (isLayoutTable(table)) return undefined;
  const sources = collectRows(table, options);
  const rows: SpanCell[][] = [];
  let declaredHeaders = 0;
  let headerRun = true;
  for (const { row, inHead } of sources) {
    const cells = elementChildren(row).filter((cell) => /^t[dh]$/i.test(cell.name) && !options.isHidden(cell));
    const spanCells: SpanCell[] = [];
    let allHeaderCells = cells.length > 0;
    for (const cell of cells) {
      const text = cellText(cell, options);
      if (text.length > HTML_TABLE_DEFAULTS.maxCellChars) return undefined;
      if (cell.name.toLowerCase() !== 'th' && text.length > 0) allHeaderCells = false;
      const spanCell: SpanCell = { text };
      const rowSpan = readSpan(cell.attribs.rowspan);
      const colSpan = readSpan(cell.attribs.colspan);
      if (rowSpan !== undefined) spanCell.rowSpan = rowSpan;
      if (colSpan !== undefined) spanCell.colSpan = colSpan;
      spanCells.push(spanCell);
    }
    rows.push(spanCells);
    if (headerRun && (inHead || allHeaderCells)) declaredHeaders += 1;
    else headerRun = false;
  }
  const captionElement = elementChildren(table).find((child) => child.name.toLowerCase() === 'caption' && !options.isHidden(child));
  const caption = captionElement === undefined ? undefined : cellText(captionElement, options);
  return buildTable({
    rows: expandSpans(rows),
    ...(caption === undefined || caption === '' ? {} : { caption }),
    declaredHeaderRows: declaredHeaders,
  });
}
