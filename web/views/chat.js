import { api, isAbort } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { buildArticleQuestions, buildExampleQuestions } from '../lib/examples.js';
import { buildAnswerMarkdown, stripDisclaimer } from '../lib/export-markdown.js';
import { t } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { renderAnswerActions } from './answer-actions.js';
import { citationMap, frameThrottle, renderAnswerMarkdown, renderError, renderFollowUps, renderSourcesList, renderToolCharts } from './message-parts.js';
import { renderStoredResearch, startResearch } from './research.js';

/**
 * The conversation: user turns, streamed answers, errors with a retry, and deep-research runs.
 * `popover` is the shared citation popover; `onConversation(id)` is told when the server names
 * the conversation (its first answer) so the page can link to it and list it.
 */
export function createChatView({ root, popover, onConversation = () => {} }) {
  const thread = root.querySelector('#thread');
  const examples = root.querySelector('#examples');
  const form = root.querySelector('#composer');
  const input = root.querySelector('#question');
  const sendButton = root.querySelector('#send');
  const stopButton = root.querySelector('#stop');
  const newChatButton = root.querySelector('#new-chat');
  const deepResearch = root.querySelector('#deep-research');
  const autoAccept = root.querySelector('#auto-accept');
  const scopeBar = root.querySelector('#chat-scope');
  const announcer = root.querySelector('#chat-announcer');

  const state = { conversationId: undefined, scope: undefined, controller: undefined, articles: undefined };

  function setBusy(controller) {
    state.controller = controller;
    const busy = Boolean(controller);
    sendButton.disabled = busy;
    stopButton.hidden = !busy;
    thread.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function scrollToEnd(force = false) {
    const nearBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
    if (force || nearBottom) window.scrollTo({ top: document.documentElement.scrollHeight });
  }

  function resizeInput() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 220)}px`;
  }

  function updateExamples() {
    examples.replaceChildren();
    if (thread.childElementCount > 0) {
      examples.hidden = true;
      return;
    }
    const questions = state.scope ? buildArticleQuestions(state.scope.title) : buildExampleQuestions(state.articles ?? []);
    examples.hidden = questions.length === 0;
    if (questions.length === 0) return;
    examples.append(
      h('h2', { className: 'examples-heading', id: 'examples-heading' }, state.scope ? t('chat.askArticle') : t('chat.tryAsking')),
      h(
        'ul',
        { className: 'examples-list', 'aria-labelledby': 'examples-heading' },
        questions.map((question) => {
          const button = h('button', { type: 'button', className: 'example' }, question);
          button.addEventListener('click', () => submit(question));
          return h('li', {}, button);
        }),
      ),
    );
  }

  async function loadExamples() {
    try {
      const { articles } = await api.listArticles({ limit: 100 });
      state.articles = articles;
    } catch {
      state.articles = [];
    }
    updateExamples();
  }

  function renderScope() {
    scopeBar.replaceChildren();
    scopeBar.hidden = !state.scope;
    if (!state.scope) return;
    const clearButton = h('button', { type: 'button', className: 'link-button' }, t('chat.askAll'));
    clearButton.addEventListener('click', () => {
      state.scope = undefined;
      renderScope();
      updateExamples();
    });
    scopeBar.append(h('span', {}, t('chat.askingAbout'), h('strong', {}, state.scope.title)), clearButton);
  }

  function addUserMessage(text) {
    const message = h('div', { className: 'msg msg-user' }, h('p', { className: 'msg-text' }, text));
    thread.append(message);
    updateExamples();
    return message;
  }

  async function askChat(question, reuse) {
    const container = reuse ?? h('div', { className: 'msg msg-assistant', 'aria-live': 'off' });
    container.replaceChildren();
    if (!reuse) thread.append(container);
    // Suggestions belong to the latest answer only.
    for (const old of thread.querySelectorAll('.follow-ups')) old.remove();
    const status = h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('chat.searching'));
    const body = h('div', { className: 'markdown streaming' });
    container.append(status, body);
    scrollToEnd(true);

    let streamed = '';
    const draw = frameThrottle(() => {
      body.replaceChildren(renderMarkdown(streamed));
      scrollToEnd();
    });
    const controller = new AbortController();
    setBusy(controller);
    try {
      const done = await api.chat(
        {
          message: question,
          ...(state.conversationId ? { conversationId: state.conversationId } : {}),
          ...(state.scope ? { filters: { articleIds: state.scope.articleIds } } : {}),
        },
        {
          signal: controller.signal,
          onEvent(event, data) {
            if (event === 'retrieval') status.lastChild.textContent = t('chat.found', { count: data.sources?.length ?? 0 });
            else if (event === 'tool') status.lastChild.textContent = t('chat.computed', { name: data.name });
            else if (event === 'token' && typeof data?.text === 'string') {
              streamed += data.text;
              draw();
            }
          },
        },
      );
      const named = done.conversationId && done.conversationId !== state.conversationId;
      state.conversationId = done.conversationId ?? state.conversationId;
      // The final answer replaces the streamed text: a generative engine may fall back mid-stream.
      showAnswer(container, question, done, { latest: true });
      announcer.textContent = t('chat.ready', { count: done.citations?.length ?? 0 });
      onConversation(state.conversationId, { named });
    } catch (error) {
      if (isAbort(error)) {
        status.replaceChildren(t('chat.stopped'));
        status.classList.add('msg-stopped');
        body.classList.remove('streaming');
        container.append(retryRow(() => askChat(question, container)));
      } else {
        container.replaceChildren(renderError(error, () => askChat(question, container)));
        announcer.textContent = t('chat.failed');
      }
      container.dataset.state = 'failed';
    } finally {
      setBusy(undefined);
      scrollToEnd();
    }
  }

  function retryRow(onRetry) {
    const retry = h('button', { type: 'button', className: 'button' }, t('chat.retry'));
    retry.addEventListener('click', onRetry);
    return h('div', { className: 'msg-actions' }, retry);
  }

  /** Fills an assistant message with a finished answer (live, or from a stored conversation). */
  function showAnswer(container, question, done, { latest }) {
    container.replaceChildren(...renderAnswer(container, question, done, { latest }));
    popover.attach(container, citationMap(done.citations));
    container.dataset.state = 'done';
  }

  function renderAnswer(container, question, done, { latest }) {
    // The disclaimer closes every answer from the server; the view shows it once, under the input.
    const answer = stripDisclaimer(done.answer ?? '', done.disclaimer);
    const parts = [renderAnswerMarkdown(answer, done.citations)];
    const charts = renderToolCharts(done.toolCalls);
    if (charts) parts.push(charts);
    const sources = renderSourcesList(done.citations);
    if (sources) parts.push(sources);
    const notes = [];
    if (done.fallback) notes.push(t('chat.fallback'));
    if (done.grounding?.removed?.length) notes.push(t('chat.removed', { count: done.grounding.removed.length }));
    const meta = [done.mode === 'openai' ? t('chat.engineOpenai') : t('chat.engineOffline')];
    if (done.grounding?.figures) meta.push(t('chat.checked', { grounded: done.grounding.grounded, figures: done.grounding.figures }));
    parts.push(
      h(
        'div',
        { className: 'msg-footer' },
        h('p', { className: 'msg-meta' }, meta.join(' · ')),
        renderAnswerActions({
          getMarkdown: () =>
            buildAnswerMarkdown({
              question,
              answer: done.answer ?? '',
              citations: done.citations ?? [],
              disclaimer: done.disclaimer ?? '',
              origin: location.origin,
              headings: { sources: t('sources.heading') },
            }),
          title: () => question,
          target: () => container,
          companions: () => [container.previousElementSibling].filter((element) => element?.classList.contains('msg-user')),
        }),
      ),
    );
    for (const note of notes) parts.push(h('p', { className: 'notice notice-info' }, note));
    if (latest) {
      const followUps = renderFollowUps(done.followUps, (next) => submit(next));
      if (followUps) parts.push(followUps);
    }
    return parts;
  }

  function submit(text) {
    const question = (text ?? input.value).trim();
    if (!question || state.controller) return;
    input.value = '';
    resizeInput();
    addUserMessage(question);
    if (deepResearch.checked) {
      for (const old of thread.querySelectorAll('.follow-ups')) old.remove();
      startResearch({
        question,
        autoAccept: autoAccept.checked,
        thread,
        popover,
        setBusy,
        scrollToEnd,
        conversationId: state.conversationId,
        onConversation: (id) => {
          const named = id !== state.conversationId;
          state.conversationId = id;
          onConversation(id, { named });
        },
      });
    } else {
      void askChat(question);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', resizeInput);
  stopButton.addEventListener('click', () => state.controller?.abort());
  deepResearch.addEventListener('change', () => {
    autoAccept.disabled = !deepResearch.checked;
    updatePlaceholder();
  });
  newChatButton.addEventListener('click', () => {
    reset();
    onConversation(undefined, { named: false });
    input.focus();
  });

  function updatePlaceholder() {
    input.placeholder = deepResearch.checked ? t('chat.placeholderResearch') : t('chat.placeholder');
  }

  function reset(scope) {
    state.controller?.abort();
    state.openController?.abort();
    state.conversationId = undefined;
    state.scope = scope;
    thread.replaceChildren();
    popover.hide();
    renderScope();
    updateExamples();
  }

  /** Shows a stored conversation, as the server keeps it, so it can be continued. */
  async function openConversation(id) {
    if (state.controller) state.controller.abort();
    state.openController?.abort();
    const controller = new AbortController();
    state.openController = controller;
    state.conversationId = id;
    state.scope = undefined;
    renderScope();
    popover.hide();
    thread.replaceChildren(
      h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('chat.loadingConversation')),
    );
    updateExamples();
    try {
      const conversation = await api.getConversation(id, controller.signal);
      if (controller.signal.aborted) return;
      thread.replaceChildren();
      const turns = conversation.turns ?? [];
      turns.forEach((turn, index) => {
        addUserMessage(turn.question);
        if (turn.response?.report) {
          thread.append(renderStoredResearch(turn.question, turn.response.report, popover));
          return;
        }
        const container = h('div', { className: 'msg msg-assistant', 'aria-live': 'off' });
        thread.append(container);
        showAnswer(container, turn.question, { citations: [], toolCalls: [], ...turn.response }, { latest: index === turns.length - 1 });
      });
      updateExamples();
    } catch (error) {
      if (controller.signal.aborted || isAbort(error)) return;
      state.conversationId = undefined;
      thread.replaceChildren(
        error.status === 404
          ? h('p', { className: 'notice notice-info', role: 'status' }, t('chat.conversationGone'))
          : renderError(error, () => void openConversation(id)),
      );
    } finally {
      if (state.openController === controller) state.openController = undefined;
    }
  }

  void loadExamples();
  renderScope();

  return {
    /** Starts a new conversation limited to one article (from the article page). */
    startScoped(article) {
      reset({ articleIds: [article.id], title: article.title });
      input.focus();
    },
    focus() {
      input.focus();
    },
    refreshExamples: loadExamples,
    open: openConversation,
    reset,
    get conversationId() {
      return state.conversationId;
    },
    get busy() {
      return Boolean(state.controller);
    },
    /** Re-renders what the language changes: placeholders, examples, the open conversation. */
    relabel() {
      updatePlaceholder();
      renderScope();
      updateExamples();
      if (state.conversationId && !state.controller) void openConversation(state.conversationId);
    },
  };
}
