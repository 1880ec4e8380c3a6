import { api } from './lib/api.js';
import { createCitationPopover } from './lib/citation-popover.js';
import { createArticleView } from './views/article.js';
import { createChatView } from './views/chat.js';
import { createLibraryView } from './views/library.js';

/** Hash routes: #/chat (default), #/library, #/article/<id>?chunk=<chunkId>. */
function parseRoute(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const article = /^\/article\/([^/]+)$/.exec(path ?? '');
  if (article) return { view: 'article', id: decodeURIComponent(article[1]), chunk: params.get('chunk') ?? undefined };
  if (path === '/library') return { view: 'library' };
  return { view: 'chat' };
}

function main() {
  document.querySelector('#boot')?.remove();
  const views = {
    chat: document.querySelector('#view-chat'),
    library: document.querySelector('#view-library'),
    article: document.querySelector('#view-article'),
  };
  const popover = createCitationPopover();
  const chat = createChatView({ root: views.chat, popover });
  let libraryLoaded = false;
  const library = createLibraryView({ root: views.library, onChanged: () => { void chat.refreshExamples(); void refreshStatus(); } });
  const article = createArticleView({
    root: views.article,
    onAsk: (item) => {
      chat.startScoped(item);
      location.hash = '#/chat';
    },
    onDeleted: () => {
      libraryLoaded = false;
      void chat.refreshExamples();
      void refreshStatus();
      location.hash = '#/library';
    },
  });

  function route() {
    const current = parseRoute(location.hash);
    popover.hide();
    for (const [name, element] of Object.entries(views)) element.hidden = name !== current.view;
    for (const link of document.querySelectorAll('[data-nav]')) {
      const active = link.dataset.nav === current.view || (current.view === 'article' && link.dataset.nav === 'library');
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (current.view === 'library' && !libraryLoaded) {
      libraryLoaded = true;
      void library.load();
    }
    if (current.view === 'article') void article.show(current.id, { chunk: current.chunk });
    if (current.view === 'chat') chat.focus();
    window.scrollTo({ top: 0 });
  }

  async function refreshStatus() {
    const status = document.querySelector('#status');
    try {
      const health = await api.health();
      const engine = health.llm?.mode === 'openai' ? `model ${health.llm.model ?? ''}`.trim() : 'offline engine';
      status.textContent = `${health.articles} articles · ${engine}`;
      status.dataset.state = 'ok';
    } catch {
      status.textContent = 'server unreachable';
      status.dataset.state = 'down';
    }
  }

  window.addEventListener('hashchange', route);
  route();
  void refreshStatus();
}

main();
