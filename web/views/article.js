import { api } from '../lib/api.js';
import { formatDate, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { renderTags } from './article-badges.js';
import { renderError } from './message-parts.js';

/**
 * One article: metadata, clean text and chunks, all set as text (never parsed as HTML), with
 * "Ask about this article" and delete.
 */
export function createArticleView({ root, onAsk, onDeleted }) {
  let controller;

  let lastShown;

  async function show(id, { chunk } = {}) {
    lastShown = { id, chunk };
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    root.replaceChildren(h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('article.loading')));
    try {
      const article = await api.getArticle(id, signal);
      if (signal.aborted) return;
      root.replaceChildren(renderArticle(article, chunk));
      const heading = root.querySelector('h1');
      heading?.focus();
      if (chunk) root.querySelector(`[data-chunk="${CSS.escape(chunk)}"]`)?.scrollIntoView({ block: 'center' });
    } catch (error) {
      if (signal.aborted) return;
      root.replaceChildren(
        h('p', {}, h('a', { href: '#/library' }, t('article.back'))),
        renderError(error, () => void show(id, { chunk })),
      );
    }
  }

  function renderArticle(article, highlightChunk) {
    const ask = h('button', { type: 'button', className: 'button button-primary' }, t('chat.askArticle'));
    ask.addEventListener('click', () => onAsk(article));
    const remove = h('button', { type: 'button', className: 'button button-danger' }, t('article.delete'));
    const confirmRow = h('div', { className: 'confirm', role: 'alertdialog', 'aria-label': 'Confirm delete', hidden: true });
    remove.addEventListener('click', () => {
      const yes = h('button', { type: 'button', className: 'button button-danger' }, t('article.deleteYes'));
      const no = h('button', { type: 'button', className: 'button' }, t('article.deleteNo'));
      confirmRow.replaceChildren(h('p', {}, t('article.deleteConfirm')), yes, no);
      confirmRow.hidden = false;
      no.addEventListener('click', () => {
        confirmRow.hidden = true;
        remove.focus();
      });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await api.deleteArticle(article.id);
          onDeleted(article);
        } catch (error) {
          confirmRow.replaceChildren(renderError(error, () => yes.click()));
        }
      });
      no.focus();
    });

    const meta = [
      article.published ? formatDate(article.published) : t('library.undated'),
      article.source,
      article.author,
      article.pages ? `${article.pages} pages` : '',
    ].filter(Boolean);
    const paragraphs = String(article.text ?? '')
      .split(/\n{2,}/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean);
    const chunks = article.chunks ?? [];
    const chunkDetails = h(
      'details',
      { className: 'chunks', open: Boolean(highlightChunk) },
      h('summary', {}, t('article.chunks', { count: chunks.length })),
      h(
        'ol',
        { className: 'chunk-list' },
        chunks.map((chunk) =>
          h(
            'li',
            {
              className: `chunk${chunk.id === highlightChunk ? ' chunk-highlight' : ''}`,
              dataset: { chunk: chunk.id },
            },
            h('p', { className: 'chunk-meta' }, h('code', {}, chunk.id), chunk.page ? ` · p. ${chunk.page}` : '', chunk.section ? ` · ${chunk.section}` : ''),
            h('p', { className: 'chunk-text' }, chunk.text),
          ),
        ),
      ),
    );
    const references =
      Array.isArray(article.references) && article.references.length > 0
        ? h(
            'section',
            { className: 'references' },
            h('h2', {}, t('article.references')),
            h('ul', { className: 'reference-list' }, article.references.map(renderReference)),
          )
        : null;

    return h(
      'article',
      { className: 'article-page' },
      h('p', {}, h('a', { href: '#/library' }, t('article.back'))),
      h('h1', { tabindex: '-1' }, article.title),
      h('p', { className: 'article-meta' }, meta.join(' · '), article.url ? [' · ', externalLink(article.url, t('article.original'))] : null),
      renderTags(article),
      h('div', { className: 'article-actions' }, ask, remove),
      confirmRow,
      h(
        'div',
        { className: 'article-text' },
        paragraphs.map((paragraph) => h('p', {}, paragraph)),
      ),
      references,
      chunkDetails,
    );
  }

  return {
    show,
    /** The id shown, so a language switch can show it again. */
    get currentId() {
      return lastShown?.id;
    },
    relabel() {
      if (lastShown) void show(lastShown.id, { chunk: lastShown.chunk });
    },
  };
}

function renderReference(reference) {
  // Articles number their own references; keep the author's numbers rather than the list's.
  return h('li', { className: 'reference' }, h('span', { className: 'reference-n' }, `[${reference.n}]`), ' ', String(reference.text ?? ''));
}

function externalLink(url, label) {
  return /^https?:\/\//i.test(url) ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, label) : h('span', {}, label);
}
