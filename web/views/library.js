import { api } from '../lib/api.js';
import { formatDate, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { renderTags } from './article-badges.js';
import { renderError } from './message-parts.js';

const PAGE = 50;

/** The articles list with search, and the upload form. */
export function createLibraryView({ root, onChanged }) {
  const searchForm = root.querySelector('#library-search');
  const searchInput = root.querySelector('#library-q');
  const list = root.querySelector('#article-list');
  const summary = root.querySelector('#library-summary');
  const more = root.querySelector('#library-more');
  const uploadToggle = root.querySelector('#upload-toggle');
  const uploadPanel = root.querySelector('#upload-panel');
  const state = { q: '', offset: 0, total: 0, controller: undefined };

  async function load({ append = false } = {}) {
    state.controller?.abort();
    const controller = new AbortController();
    state.controller = controller;
    if (!append) state.offset = 0;
    list.setAttribute('aria-busy', 'true');
    try {
      const { articles, total } = await api.listArticles({ q: state.q, limit: PAGE, offset: state.offset }, controller.signal);
      if (controller.signal.aborted) return;
      if (!append) list.replaceChildren();
      list.append(...articles.map(renderRow));
      state.total = total;
      state.offset += articles.length;
      summary.textContent = state.q
        ? t(total === 1 ? 'library.matchingOne' : 'library.matching', { count: total, q: state.q })
        : t(total === 1 ? 'library.countOne' : 'library.count', { count: total });
      more.hidden = state.offset >= total;
    } catch (error) {
      if (controller.signal.aborted) return;
      list.replaceChildren(h('li', {}, renderError(error, () => void load())));
    } finally {
      if (state.controller === controller) list.setAttribute('aria-busy', 'false');
    }
  }

  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    state.q = searchInput.value.trim();
    void load();
  });
  searchInput.addEventListener('search', () => {
    if (searchInput.value === '' && state.q !== '') {
      state.q = '';
      void load();
    }
  });
  more.addEventListener('click', () => void load({ append: true }));
  uploadToggle.addEventListener('click', () => {
    const open = uploadPanel.hidden;
    uploadPanel.hidden = !open;
    uploadToggle.setAttribute('aria-expanded', String(open));
    if (open) uploadPanel.querySelector('input, textarea')?.focus();
  });
  setUpUpload(uploadPanel, { onAdded: () => { void load(); onChanged(); } });

  return {
    load,
    /** Re-renders the list in the current language, if it was loaded. */
    relabel() {
      if (state.offset > 0 || list.childElementCount > 0) void load();
    },
  };
}

function renderRow(article) {
  const meta = [article.published ? formatDate(article.published) : t('library.undated'), article.source].filter(Boolean).join(' · ');
  return h('li', { className: 'article-row' },
    h('a', { className: 'article-link', href: `#/article/${encodeURIComponent(article.id)}` }, article.title),
    h('p', { className: 'article-meta' }, meta),
    renderTags(article));
}

/** Reads a chosen file into the API's shape: HTML for .html/.htm, text for .md/.txt, fields for .json. */
export async function readArticleFile(file) {
  const name = file.name.toLowerCase();
  const content = await file.text();
  const title = file.name.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
  if (/\.html?$/.test(name)) return { html: content };
  if (name.endsWith('.json')) {
    let parsed;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new Error('This .json file is not valid JSON.');
    }
    const body = parsed && typeof parsed === 'object' ? parsed : {};
    const text = [body.text, body.content, body.body].find((value) => typeof value === 'string');
    const html = typeof body.html === 'string' ? body.html : undefined;
    if (!text && !html) throw new Error('The .json file needs a "text", "content", "body" or "html" field.');
    return {
      ...(html ? { html } : { text }),
      ...(typeof body.title === 'string' ? { title: body.title } : {}),
      ...(typeof body.source === 'string' ? { source: body.source } : {}),
      ...(typeof body.published === 'string' ? { published: body.published.slice(0, 10) } : {}),
      ...(Array.isArray(body.tags) ? { tags: body.tags.filter((tag) => typeof tag === 'string') } : {}),
    };
  }
  return { text: content, ...(name.endsWith('.txt') ? { title } : {}) };
}

function setUpUpload(panel, { onAdded }) {
  const form = panel.querySelector('form');
  const file = form.querySelector('#upload-file');
  const content = form.querySelector('#upload-content');
  const result = panel.querySelector('#upload-result');
  const submit = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.replaceChildren();
    const fields = Object.fromEntries(new FormData(form).entries());
    let body;
    try {
      if (file.files && file.files.length > 0) body = await readArticleFile(file.files[0]);
      else if (String(fields.content ?? '').trim()) {
        const text = String(fields.content);
        body = fields.format === 'html' || (fields.format === 'auto' && /<\/?(p|div|article|h[1-6]|body|html)\b/i.test(text)) ? { html: text } : { text };
      } else throw new Error(t('upload.missing'));
    } catch (error) {
      result.append(h('p', { className: 'notice notice-error', role: 'alert' }, error.message));
      return;
    }
    const title = String(fields.title ?? '').trim();
    const source = String(fields.source ?? '').trim();
    const published = String(fields.published ?? '').trim();
    const tags = String(fields.tags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean);
    Object.assign(body, title ? { title } : {}, source ? { source } : {}, published ? { published } : {}, tags.length ? { tags } : {});
    submit.disabled = true;
    result.append(h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('upload.adding')));
    try {
      const added = await api.addArticle(body);
      const link = h('a', { href: `#/article/${encodeURIComponent(added.id)}` }, t('upload.open'));
      result.replaceChildren(h('p', { className: 'notice notice-success', role: 'status' },
        added.deduplicated ? t('upload.duplicate') : t(added.chunks === 1 ? 'upload.addedOne' : 'upload.added', { count: added.chunks }), link));
      form.reset();
      content.value = '';
      onAdded(added);
    } catch (error) {
      result.replaceChildren(renderError(error, () => form.requestSubmit()));
    } finally {
      submit.disabled = false;
    }
  });
}
