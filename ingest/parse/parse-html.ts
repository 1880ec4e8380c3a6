/**
 * HTML into blocks plus the metadata its markup declares. Content is read with an explicit-stack
 * traversal (no recursion: a page of 10,000 nested tags must not overflow the stack), skipping
 * page furniture and anything hidden from readers: hostile pages hide prompt-injection text in
 * `display:none` or zero-size elements, so text a reader cannot see never reaches the index.
 */
import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { z } from 'zod';
import { collapseWhitespace, createTableBlock, type Block, type MetadataHints } from './blocks.ts';
import { CHROME_CLASS_NEGATORS, CHROME_CLASS_PAIRS, CHROME_CLASS_WORDS, CHROME_ROLES, DROPPED_TAGS, HIDDEN_CLASSES, HIDDEN_STYLE } from './chrome-patterns.ts';
import { readHtmlTable } from './html-table.ts';
import { isVisuallyHiddenStyle } from './hidden-style.ts';
import { mergeTags, splitKeywords } from './tags.ts';

export interface HtmlDocument {
  blocks: Block[];
  hints: MetadataHints;
}

/** Elements whose boundaries end a paragraph. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'body',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'hr',
  'center',
  'fieldset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
]);
/** Containers that are the content itself; a class like "has-sidebar" on them must not drop the page. */
const NEVER_CHROME = new Set(['html', 'body', 'main', 'article']);

interface HiddenSelectors {
  classes: Set<string>;
  ids: Set<string>;
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function childrenOf(node: AnyNode): AnyNode[] {
  return 'children' in node && Array.isArray(node.children) ? (node.children as AnyNode[]) : [];
}

/** Class and id values split into lower-case words: "authorBox share-bar" → author, box, share, bar. */
function classWords(value: string): string[][] {
  return value
    .split(/\s+/)
    .filter((name) => name.length > 0)
    .map((name) =>
      name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[\s_\-:.]+/)
        .filter((word) => word.length > 0),
    );
}

export function hasChromeWords(value: string): boolean {
  for (const words of classWords(value)) {
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] ?? '';
      const previous = words[i - 1];
      if (CHROME_CLASS_WORDS.has(word) && (previous === undefined || !CHROME_CLASS_NEGATORS.has(previous))) return true;
      const next = words[i + 1];
      if (next !== undefined && CHROME_CLASS_PAIRS.some(([a, b]) => a === word && b === next)) return true;
    }
  }
  return false;
}

function isHidden(element: Element, hidden: HiddenSelectors): boolean {
  const attributes = element.attribs;
  if (attributes.hidden !== undefined) return true;
  if (attributes['aria-hidden']?.trim().toLowerCase() === 'true') return true;
  if (attributes.type?.toLowerCase() === 'hidden') return true;
  if (attributes.style !== undefined && (HIDDEN_STYLE.test(attributes.style) || isVisuallyHiddenStyle(attributes.style))) return true;
  const classes = (attributes.class ?? '').split(/\s+/).filter((name) => name.length > 0);
  if (classes.some((name) => HIDDEN_CLASSES.has(name.toLowerCase()) || hidden.classes.has(name))) return true;
  return attributes.id !== undefined && hidden.ids.has(attributes.id);
}

function isChrome(element: Element): boolean {
  const name = element.name.toLowerCase();
  if (NEVER_CHROME.has(name)) return false;
  const role = element.attribs.role?.trim().toLowerCase();
  if (role !== undefined && CHROME_ROLES.has(role)) return true;
  return hasChromeWords(element.attribs.class ?? '') || hasChromeWords(element.attribs.id ?? '');
}

function isSkipped(element: Element, hidden: HiddenSelectors): boolean {
  return DROPPED_TAGS.has(element.name.toLowerCase()) || isHidden(element, hidden) || isChrome(element);
}

/** True when the element or one of its ancestors is skipped. */
function isInSkippedSubtree(element: Element, hidden: HiddenSelectors): boolean {
  for (let node: AnyNode | null = element; node !== null; node = node.parent) {
    if (isElement(node) && isSkipped(node, hidden)) return true;
  }
  return false;
}

/** Visible text of a subtree, iteratively. */
function textOf(root: AnyNode, hidden: HiddenSelectors, honourSkips = true): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.type === 'text' && 'data' in node) {
      parts.push(String(node.data));
      continue;
    }
    if (honourSkips && isElement(node) && node !== root && isSkipped(node, hidden)) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child !== undefined) stack.push(child);
    }
  }
  return collapseWhitespace(parts.join(''));
}

/** Tags the metadata readers look up; indexed in one pass because each selector query walks the whole tree. */
const INDEXED_TAGS = new Set(['style', 'article', 'main', 'body', 'script', 'meta', 'h1', 'title', 'time', 'link', 'a']);

interface DocumentIndex {
  root: AnyNode;
  byTag: Map<string, Element[]>;
  roleMain: Element[];
}

function indexDocument(root: AnyNode): DocumentIndex {
  const byTag = new Map<string, Element[]>();
  const roleMain: Element[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (isElement(node)) {
      const name = node.name.toLowerCase();
      if (INDEXED_TAGS.has(name)) {
        const list = byTag.get(name);
        if (list === undefined) byTag.set(name, [node]);
        else list.push(node);
      }
      if (node.attribs.role?.toLowerCase() === 'main') roleMain.push(node);
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child !== undefined) stack.push(child);
    }
  }
  return { root, byTag, roleMain };
}

function elementsOf(index: DocumentIndex, tag: string): Element[] {
  return index.byTag.get(tag) ?? [];
}

/** Classes and ids that a page's own stylesheet hides (`.x{display:none}`). */
function readStyleHiddenSelectors(index: DocumentIndex): HiddenSelectors {
  const hidden: HiddenSelectors = { classes: new Set(), ids: new Set() };
  const noSkips: HiddenSelectors = { classes: new Set(), ids: new Set() };
  for (const style of elementsOf(index, 'style')) {
    const css = textOf(style, noSkips, false);
    for (const rule of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const declarations = rule[2] ?? '';
      if (!HIDDEN_STYLE.test(declarations.replace(/\s+/g, ' ').replace(/^\s*/, '')) && !isVisuallyHiddenStyle(declarations)) continue;
      for (const selector of (rule[1] ?? '').split(',')) {
        const simple = /^\s*[a-z0-9]*([.#])([\w-]+)\s*$/i.exec(selector);
        if (simple?.[2] === undefined) continue;
        (simple[1] === '.' ? hidden.classes : hidden.ids).add(simple[2]);
      }
    }
  }
  return hidden;
}

/** Walk the content root and emit headings, paragraphs and tables (as grids, see html-table.ts). */
function collectBlocks(root: AnyNode, hidden: HiddenSelectors): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let preDepth = 0;
  let listDepth = 0;

  const flush = (kind: 'paragraph' | 'heading' = 'paragraph', level?: number): void => {
    const text =
      preDepth > 0
        ? buffer
            .split('\n')
            .map((line) => line.trimEnd())
            .join('\n')
            .replace(/^\n+|\n+$/g, '')
        : collapseWhitespace(buffer);
    buffer = '';
    if (text.length === 0) return;
    const block: Block = { kind, text };
    if (level !== undefined) block.level = level;
    if (kind === 'paragraph' && listDepth > 0) block.bullet = true;
    blocks.push(block);
  };
  const tableOptions = { isHidden: (element: Element) => isHidden(element, hidden) };

  // Roles are decided on entry and replayed on exit, so nesting cannot unbalance the bookkeeping.
  type Role = 'inline' | 'heading' | 'pre' | 'list' | 'block';
  const stack: { node: AnyNode; exit?: Role }[] = [{ node: root }];
  while (stack.length > 0) {
    const frame = stack.pop();
    if (frame === undefined) break;
    const { node } = frame;
    if (node.type === 'text' && 'data' in node) {
      buffer += String(node.data);
      continue;
    }
    if (!isElement(node)) {
      if (node.type === 'root') {
        const children = childrenOf(node);
        for (let i = children.length - 1; i >= 0; i -= 1) {
          const child = children[i];
          if (child !== undefined) stack.push({ node: child });
        }
      }
      continue;
    }
    const name = node.name.toLowerCase();
    const heading = /^h([1-6])$/.exec(name);

    switch (frame.exit) {
      case undefined:
        break;
      case 'inline':
        if (BLOCK_TAGS.has(name)) buffer += ' ';
        continue;
      case 'heading':
        flush('heading', Number(heading?.[1] ?? 2));
        continue;
      case 'pre':
        flush();
        preDepth = Math.max(0, preDepth - 1);
        continue;
      case 'list':
        flush();
        listDepth = Math.max(0, listDepth - 1);
        continue;
      case 'block':
        flush();
        continue;
    }

    if (node !== root && isSkipped(node, hidden)) continue;

    if (name === 'table' && preDepth === 0) {
      const table = readHtmlTable(node, tableOptions);
      if (table !== undefined) {
        flush();
        blocks.push(createTableBlock(table));
        continue;
      }
    }

    let role: Role;
    if (name === 'br') {
      if (preDepth > 0) buffer += '\n';
      else flush();
      role = 'inline';
    } else if (heading !== null) {
      flush();
      role = 'heading';
    } else if (name === 'pre') {
      flush();
      preDepth += 1;
      role = 'pre';
    } else if (name === 'ul' || name === 'ol') {
      flush();
      listDepth += 1;
      role = 'list';
    } else if (BLOCK_TAGS.has(name) || name === 'td' || name === 'th') {
      // Cells of a layout table are page regions: each one holds its own paragraphs.
      flush();
      role = 'block';
    } else {
      role = 'inline';
    }

    stack.push({ node, exit: role });
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child !== undefined) stack.push({ node: child });
    }
  }
  flush();
  return blocks;
}

const MAX_ARTICLE_CANDIDATES = 50;

/** The element holding the article: the `<article>` with most visible text, else `<main>`, else `<body>`. */
function pickContentRoot(index: DocumentIndex, hidden: HiddenSelectors): AnyNode {
  let best: Element | undefined;
  let bestLength = 0;
  // A bound keeps a hostile page of thousands of nested <article>s from costing quadratic time.
  for (const article of elementsOf(index, 'article').slice(0, MAX_ARTICLE_CANDIDATES)) {
    if (isInSkippedSubtree(article, hidden)) continue;
    const length = textOf(article, hidden).length;
    if (length > bestLength) {
      best = article;
      bestLength = length;
    }
  }
  if (best !== undefined) return best;
  const main = [...elementsOf(index, 'main'), ...index.roleMain].find((element) => !isInSkippedSubtree(element, hidden));
  if (main !== undefined) return main;
  return elementsOf(index, 'body')[0] ?? index.root;
}

const LinkedDataNodeSchema = z.object({
  datePublished: z.string().optional(),
  headline: z.string().optional(),
  keywords: z.union([z.string(), z.array(z.string())]).optional(),
  publisher: z.object({ name: z.string().optional() }).optional(),
  url: z.string().optional(),
});
type LinkedDataNode = z.infer<typeof LinkedDataNodeSchema>;

/** Fields of JSON-LD blocks (`<script type="application/ld+json">`), searched through nested graphs. */
function readLinkedData(index: DocumentIndex, hidden: HiddenSelectors): LinkedDataNode {
  const found: LinkedDataNode = {};
  const scripts = elementsOf(index, 'script').filter((script) => script.attribs.type?.trim().toLowerCase() === 'application/ld+json');
  for (const script of scripts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(textOf(script, hidden, false));
    } catch {
      continue;
    }
    const pending: unknown[] = [parsed];
    while (pending.length > 0) {
      const value = pending.pop();
      if (Array.isArray(value)) {
        pending.push(...value);
        continue;
      }
      if (typeof value !== 'object' || value === null) continue;
      const node = LinkedDataNodeSchema.safeParse(value);
      if (node.success) {
        found.datePublished ??= node.data.datePublished;
        found.headline ??= node.data.headline;
        found.keywords ??= node.data.keywords;
        found.publisher ??= node.data.publisher?.name === undefined ? undefined : node.data.publisher;
      }
      pending.push(...Object.values(value));
    }
  }
  return found;
}

/** Meta tags by lower-cased property/name/itemprop; the first value wins. */
function readMetaTags(index: DocumentIndex): Map<string, string[]> {
  const metas = new Map<string, string[]>();
  for (const meta of elementsOf(index, 'meta')) {
    const key = (meta.attribs.property ?? meta.attribs.name ?? meta.attribs.itemprop)?.trim().toLowerCase();
    const content = meta.attribs.content?.trim();
    if (key === undefined || content === undefined || content.length === 0) continue;
    metas.set(key, [...(metas.get(key) ?? []), content]);
  }
  return metas;
}

const PUBLISHED_META_KEYS = [
  'article:published_time',
  'og:article:published_time',
  'datepublished',
  'published_time',
  'pubdate',
  'publishdate',
  'publish-date',
  'publish_date',
  'date',
  'dc.date',
  'dc.date.issued',
  'dcterms.date',
  'dcterms.created',
  'parsely-pub-date',
  'sailthru.date',
  'article.published',
];

/** "Title | Site" → "Title". Dash separators only drop a brand-like or known site suffix. */
export function stripSiteSuffix(title: string, siteName?: string): string {
  let current = collapseWhitespace(title);
  for (let round = 0; round < 2; round += 1) {
    const match = /^(.*\S)\s+([|–—·:-]{1,2})\s+([^|–—·]{1,60})$/u.exec(current);
    if (!match) break;
    const [, head = '', separator = '', suffix = ''] = match;
    const suffixWords = suffix.trim().split(/\s+/);
    const isSite = siteName !== undefined && suffix.trim().toLowerCase() === siteName.trim().toLowerCase();
    const brandLike = suffixWords.length <= 3 && suffixWords.every((word) => /^[\p{Lu}\p{N}]|\./u.test(word));
    const strip = isSite || (separator === '|' && suffixWords.length <= 5) || (separator !== ':' && brandLike);
    if (!strip || head.split(/\s+/).length < 2) break;
    current = head;
  }
  return current;
}

function readHints(index: DocumentIndex, hidden: HiddenSelectors, contentRoot: AnyNode): MetadataHints {
  const metas = readMetaTags(index);
  const meta = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = metas.get(key)?.[0];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const linked = readLinkedData(index, hidden);
  const source = meta('og:site_name', 'application-name', 'publisher') ?? linked.publisher?.name;

  const h1 = elementsOf(index, 'h1').find((element) => !isInSkippedSubtree(element, hidden) && textOf(element, hidden).length > 0);
  const titleElement = elementsOf(index, 'title')[0];
  const rawTitle =
    meta('og:title', 'twitter:title') ??
    (h1 === undefined ? undefined : textOf(h1, hidden)) ??
    (titleElement === undefined ? undefined : textOf(titleElement, hidden, false)) ??
    linked.headline;
  const title = rawTitle === undefined ? undefined : stripSiteSuffix(rawTitle, source);

  const timeElements = elementsOf(index, 'time').filter((element) => element.attribs.datetime !== undefined);
  const contentTime =
    timeElements.find((element) => element.attribs.pubdate !== undefined || element.attribs.itemprop === 'datePublished') ??
    timeElements.find((element) => !isInSkippedSubtree(element, hidden) && isDescendant(element, contentRoot)) ??
    timeElements[0];
  const published = meta(...PUBLISHED_META_KEYS) ?? linked.datePublished ?? contentTime?.attribs.datetime;

  const canonical = elementsOf(index, 'link')
    .find((element) => element.attribs.rel?.trim().toLowerCase() === 'canonical')
    ?.attribs.href?.trim();
  const url = canonical !== undefined && canonical.length > 0 ? canonical : meta('og:url');

  const linkedKeywords = linked.keywords === undefined ? [] : [linked.keywords].flat().flatMap(splitKeywords);
  const tags = mergeTags(
    (metas.get('keywords') ?? []).flatMap(splitKeywords),
    (metas.get('news_keywords') ?? []).flatMap(splitKeywords),
    metas.get('article:tag') ?? [],
    elementsOf(index, 'a')
      .filter((element) => (element.attribs.rel ?? '').toLowerCase().split(/\s+/).includes('tag'))
      .map((element) => textOf(element, hidden, false)),
    linkedKeywords,
  );

  const hints: MetadataHints = {};
  if (title !== undefined && title.length > 0) hints.title = title;
  if (published !== undefined) hints.published = published;
  if (source !== undefined) hints.source = source;
  if (url !== undefined) hints.url = url;
  if (tags.length > 0) hints.tags = tags;
  return hints;
}

function isDescendant(node: AnyNode, ancestor: AnyNode): boolean {
  for (let current: AnyNode | null = node; current !== null; current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

export function readHtmlDocument(html: string): HtmlDocument {
  const document: AnyNode | undefined = load(html).root()[0];
  if (document === undefined) return { blocks: [], hints: {} };
  const index = indexDocument(document);
  const hidden = readStyleHiddenSelectors(index);
  const root = pickContentRoot(index, hidden);
  let blocks = collectBlocks(root, hidden);
  const body = elementsOf(index, 'body')[0];
  if (!blocks.some((block) => block.kind === 'paragraph' || block.kind === 'table') && body !== undefined && body !== root) {
    blocks = collectBlocks(body, hidden);
  }
  return { blocks, hints: readHints(index, hidden, root) };
}
