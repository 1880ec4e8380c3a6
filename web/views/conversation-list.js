import { api } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { getLocale, t } from '../lib/i18n.js';

/**
 * The sidebar of stored conversations: each opens with a link (`#/chat/<id>`), each can be
 * deleted. `onDeleted(id)` lets the chat clear a conversation that was open.
 */
export function createConversationList({ root, onDeleted }) {
  const heading = h('h2', { className: 'history-heading', id: 'history-heading' }, t('history.heading'));
  const list = h('ul', { className: 'history-list', 'aria-labelledby': 'history-heading' });
  const message = h('p', { className: 'history-empty' });
  root.replaceChildren(heading, list, message);
  const state = { conversations: [], activeId: undefined, failed: false };

  function render() {
    heading.textContent = t('history.heading');
    list.replaceChildren(...state.conversations.map(renderItem));
    message.hidden = state.conversations.length > 0 && !state.failed;
    message.textContent = state.failed ? t('history.unavailable') : t('history.empty');
  }

  function renderItem(conversation) {
    const active = conversation.id === state.activeId;
    const when = new Date(conversation.updated).toLocaleDateString(getLocale(), { month: 'short', day: 'numeric' });
    const link = h(
      'a',
      { className: 'history-link', href: `#/chat/${encodeURIComponent(conversation.id)}`, ...(active ? { 'aria-current': 'page' } : {}) },
      h('span', { className: 'history-title' }, conversation.title),
      h('span', { className: 'history-meta' }, `${when} · ${conversation.turns === 1 ? t('history.turn') : t('history.turns', { count: conversation.turns })}`),
    );
    const remove = h(
      'button',
      {
        type: 'button',
        className: 'icon-button history-delete',
        'aria-label': t('history.delete', { title: conversation.title }),
        title: t('history.delete', { title: conversation.title }),
      },
      '×',
    );
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await api.deleteConversation(conversation.id);
        state.conversations = state.conversations.filter((item) => item.id !== conversation.id);
        render();
        onDeleted(conversation.id);
      } catch (error) {
        // A conversation already gone is what the user wanted.
        if (error.status === 404) {
          state.conversations = state.conversations.filter((item) => item.id !== conversation.id);
          render();
          onDeleted(conversation.id);
          return;
        }
        remove.disabled = false;
        message.hidden = false;
        message.textContent = t('history.deleteFailed', { message: error.message });
      }
    });
    return h('li', { className: `history-item${active ? ' history-active' : ''}`, dataset: { id: conversation.id } }, link, remove);
  }

  async function refresh() {
    try {
      const { conversations } = await api.listConversations();
      state.conversations = Array.isArray(conversations) ? conversations : [];
      state.failed = false;
    } catch {
      state.failed = true;
    }
    render();
  }

  return {
    refresh,
    render,
    setActive(id) {
      state.activeId = id;
      render();
    },
  };
}
