import { api } from './lib/api.js';
import { createCitationPopover } from './lib/citation-popover.js';
import { applyStaticLabels, getLanguage, initLanguage, setLanguage, t } from './lib/i18n.js';
import { createArticleView } from './views/article.js';
import { createChatView } from './views/chat.js';
import { createConversationList } from './views/conversation-list.js';
import { createLibraryView } from './views/library.js';

/** Hash routes: #/chat (default), #/chat/<conversationId>, #/library, #/article/<id>?chunk=<chunkId>. */
function parseRoute(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const article = /^\/article\/([^/]+)$/.exec(path ?? '');
  if (article) return { view: 'article', id: decodeURIComponent(article[1]), chunk: params.get('chunk') ?? undefined };
  if (path === '/library') return { view: 'library' };
  const conversation = /^\/chat\/([\w-]{8,64})$/.exec(path ?? '');
  if (conversation) return { view: 'chat', conversationId: conversation[1] };
  return { view: 'chat' };
}

function main() {
  initLanguage();
  applyStaticLabels();
  document.querySelector('#boot')?.remove();
  const views = {
    chat: document.querySelector('#view-chat'),
    library: document.querySelector('#view-library'),
    article: document.querySelector('#view-article'),
  };
  const popover = createCitationPopover();
  const historyPanel = document.querySelector('#history');
  const historyToggle = document.querySelector('#history-toggle');
  const conversations = createConversationList({
    root: historyPanel,
    onDeleted: (id) => {
      if (chat.conversationId !== id) return;
      chat.reset();
      history.replaceState(null, '', '#/chat');
      conversations.setActive(undefined);
    },
  });
  const chat = createChatView({
    root: views.chat,
    popover,
    onConversation: (id, { named }) => {
      // The URL names the open conversation, so a reload (or a bookmark) opens it again.
      const target = id ? `#/chat/${id}` : '#/chat';
      if (location.hash !== target) history.replaceState(null, '', target);
      conversations.setActive(id);
      if (named || id) void conversations.refresh();
    },
  });
  let libraryLoaded = false;
  const library = createLibraryView({
    root: views.library,
    onChanged: () => {
      void chat.refreshExamples();
      void refreshStatus();
    },
  });
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
    if (current.view === 'chat') {
      if (current.conversationId && current.conversationId !== chat.conversationId) void chat.open(current.conversationId);
      conversations.setActive(current.conversationId ?? chat.conversationId);
      setHistoryOpen(false);
      chat.focus();
    }
    window.scrollTo({ top: 0 });
  }

  function setHistoryOpen(open) {
    historyPanel.classList.toggle('history-open', open);
    historyToggle.setAttribute('aria-expanded', String(open));
  }
  historyToggle.addEventListener('click', () => setHistoryOpen(!historyPanel.classList.contains('history-open')));

  async function refreshStatus() {
    const status = document.querySelector('#status');
    try {
      const health = await api.health();
      const engine = health.llm?.mode === 'openai' ? t('status.model', { model: health.llm.model ?? '' }).trim() : t('status.offline');
      status.textContent = t('status.articles', { count: health.articles, engine });
      status.dataset.state = 'ok';
    } catch {
      status.textContent = t('status.down');
      status.dataset.state = 'down';
    }
  }

  document.querySelector('#language-toggle').addEventListener('click', () => {
    setLanguage(getLanguage() === 'en' ? 'zh' : 'en');
    applyStaticLabels();
    conversations.render();
    chat.relabel();
    library.relabel();
    if (!views.article.hidden) article.relabel();
    void refreshStatus();
  });

  window.addEventListener('hashchange', route);
  route();
  void refreshStatus();
  void conversations.refresh();
}

main();
