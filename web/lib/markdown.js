import { Marked } from '../vendor/marked.esm.js';
import DOMPurify from '../vendor/purify.es.mjs';
import { t } from './i18n.js';

/**
 * Markdown from the model (or a research report) becomes DOM in three guarded steps:
 * 1. marked parses it with raw HTML escaped (the model may echo `<script>` from an article) and
 *    images turned into their alt text (no external image is ever fetched);
 * 2. DOMPurify keeps only a short list of text-formatting tags and the `href`/`title` attributes;
 * 3. links are kept only for http(s) and in-page `#` targets, and open in a new tab without opener.
 * Citation markers `[n]` then become chips, outside code and links.
 */
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
];

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    image({ text }) {
      return escapeHtml(text ? `[image: ${text}]` : '[image]');
    },
  },
});

const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/** `[2]` and `[0, 3]` markers in a text, with their citation numbers; pure, for tests and chips. */
export function findMarkers(text) {
  const markers = [];
  for (const match of text.matchAll(MARKER)) {
    markers.push({ index: match.index, length: match[0].length, numbers: match[1].split(',').map((part) => Number(part.trim())) });
  }
  return markers;
}

/**
 * Returns a DocumentFragment. `citations` maps n → citation; markers whose numbers are all known
 * become `<button class="cite" data-n>` chips, others stay as plain text.
 */
export function renderMarkdown(markdown, { citations } = {}) {
  const html = marked.parse(String(markdown ?? ''));
  const fragment = DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'align'],
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const link of fragment.querySelectorAll('a')) {
    const href = link.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href)) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer nofollow');
    } else if (!href.startsWith('#')) {
      link.removeAttribute('href');
    }
  }
  if (citations && citations.size > 0) replaceMarkers(fragment, citations);
  return fragment;
}

function replaceMarkers(root, citations) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('code, pre, a') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const textNodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) textNodes.push(node);
  for (const node of textNodes) {
    const text = node.nodeValue ?? '';
    const markers = findMarkers(text).filter((marker) => marker.numbers.every((n) => citations.has(n)));
    if (markers.length === 0) continue;
    const pieces = [];
    let cursor = 0;
    for (const marker of markers) {
      pieces.push(document.createTextNode(text.slice(cursor, marker.index)));
      for (const n of marker.numbers) pieces.push(createChip(n, citations.get(n)));
      cursor = marker.index + marker.length;
    }
    pieces.push(document.createTextNode(text.slice(cursor)));
    node.replaceWith(...pieces);
  }
}

export function createChip(n, citation) {
  const chip = document.createElement('button');
  chip.type = 'button';
  chip.className = `cite cite-${citation.kind === 'data' ? 'data' : 'article'}`;
  chip.dataset.n = String(n);
  chip.setAttribute('aria-label', `${t('cite.source', { n })}: ${citation.title ?? ''}`);
  chip.setAttribute('aria-haspopup', 'dialog');
  chip.setAttribute('aria-expanded', 'false');
  chip.textContent = String(n);
  return chip;
}
