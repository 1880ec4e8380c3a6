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
  const samples = createSamplesNotice({
    onRemoved: () => {
      void load();
      onChanged();
    },
  });
  summary.before(samples.element);

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
      if (!append) void samples.refresh(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      list.replaceChildren(
        h(
          'li',
          {},
          renderError(error, () => void load()),
        ),
      );
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
  setUpUpload(uploadPanel, {
    onAdded: () => {
      void load();
      onChanged();
    },
  });

  return {
    load,
    /** Re-renders the list in the current language, if it was loaded. */
    relabel() {
      if (state.offset > 0 || list.childElementCount > 0) void load();
    },
  };
}

/**
 * While the bundled sample articles are in the library, a notice says so and offers to remove them
 * all in one step (`DELETE /api/articles?sample=true`), after a confirmation.
 */
function createSamplesNotice({ onRemoved }) {
  const element = h('div', { className: 'samples-notice', hidden: true });
  let count = 0;

  function showOffer() {
    const remove = h('button', { type: 'button', className: 'button button-quiet' }, t('samples.remove'));
    remove.addEventListener('click', showConfirm);
    element.replaceChildren(h('p', {}, t(count === 1 ? 'samples.noticeOne' : 'samples.notice', { count })), remove);
    element.hidden = false;
  }

  function showConfirm() {
    const yes = h('button', { type: 'button', className: 'button button-danger' }, t('samples.confirmYes'));
    const no = h('button', { type: 'button', className: 'button' }, t('samples.confirmNo'));
    element.replaceChildren(
      h('div', { className: 'confirm', role: 'alertdialog', 'aria-label': t('samples.remove') }, h('p', {}, t('samples.confirm')), yes, no),
    );
    no.addEventListener('click', showOffer);
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        const { removed } = await api.removeSamples();
        count = 0;
        element.replaceChildren(
          h('p', { className: 'notice notice-success', role: 'status' }, t(removed === 1 ? 'samples.removedOne' : 'samples.removed', { count: removed })),
        );
        onRemoved();
      } catch (error) {
        element.replaceChildren(renderError(error, showConfirm));
      }
    });
    no.focus();
  }

  return {
    element,
    async refresh(signal) {
      try {
        const { total } = await api.listArticles({ sample: true, limit: 1 }, signal);
        if (signal.aborted) return;
        count = total;
        // After a removal the success message stays until the next visit to the library.
        if (count > 0) showOffer();
        else if (!element.querySelector('.notice-success')) element.hidden = true;
      } catch {
        // The notice is a convenience: the list itself shows any error.
      }
    },
  };
}

function renderRow(article) {
  const meta = [article.published ? formatDate(article.published) : t('library.undated'), article.source].filter(Boolean).join(' · ');
  return h(
    'li',
    { className: 'article-row' },
    h('a', { className: 'article-link', href: `#/article/${encodeURIComponent(article.id)}` }, article.title),
    h('p', { className: 'article-meta' }, meta),
    renderTags(article),
  );
}

/**
 * Reads a chosen file into the API's shape: the file itself, base64-encoded with its name, so the
 * server parses it by type (PDF, HTML, Markdown, text, JSON) exactly as `npm run ingest` does.
 */
export async function readArticleFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a whole file's bytes as arguments overflows the stack.
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return { file: { name: file.name, contentBase64: btoa(binary) } };
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
      // A link alone: the server fetches the page (or PDF) under its SSRF rules.
      else if (String(fields.link ?? '').trim()) body = { url: String(fields.link).trim() };
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
    const tags = String(fields.tags ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    Object.assign(body, title ? { title } : {}, source ? { source } : {}, published ? { published } : {}, tags.length ? { tags } : {});
    submit.disabled = true;
    result.append(h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('upload.adding')));
    try {
      const added = await api.addArticle(body);
      const link = h('a', { href: `#/article/${encodeURIComponent(added.id)}` }, t('upload.open'));
      result.replaceChildren(
        h(
          'p',
          { className: 'notice notice-success', role: 'status' },
          added.deduplicated ? t('upload.duplicate') : t(added.chunks === 1 ? 'upload.addedOne' : 'upload.added', { count: added.chunks }),
          link,
        ),
      );
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
