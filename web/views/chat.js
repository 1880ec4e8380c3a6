import { api, isAbort } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { buildArticleQuestions, buildExampleQuestions } from '../lib/examples.js';
import { renderMarkdown } from '../lib/markdown.js';
import { citationMap, frameThrottle, renderAnswerMarkdown, renderError, renderSourcesList, renderToolCharts } from './message-parts.js';
import { startResearch } from './research.js';

/**
 * The conversation: user turns, streamed answers, errors with a retry, and deep-research runs.
 * `popover` is the shared citation popover.
 */
export function createChatView({ root, popover }) {
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
      h('h2', { className: 'examples-heading', id: 'examples-heading' }, state.scope ? 'Ask about this article' : 'Try asking'),
      h('ul', { className: 'examples-list', 'aria-labelledby': 'examples-heading' }, questions.map((question) => {
        const button = h('button', { type: 'button', className: 'example' }, question);
        button.addEventListener('click', () => submit(question));
        return h('li', {}, button);
      })),
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
    const clearButton = h('button', { type: 'button', className: 'link-button' }, 'Ask about all articles');
    clearButton.addEventListener('click', () => {
      state.scope = undefined;
      renderScope();
      updateExamples();
    });
    scopeBar.append(h('span', {}, 'Asking about: ', h('strong', {}, state.scope.title)), clearButton);
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
    const status = h('p', { className: 'msg-status', role: 'status' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), 'Searching your articles…');
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
        { message: question, ...(state.conversationId ? { conversationId: state.conversationId } : {}), ...(state.scope ? { filters: { articleIds: state.scope.articleIds } } : {}) },
        {
          signal: controller.signal,
          onEvent(event, data) {
            if (event === 'retrieval') status.lastChild.textContent = `Found ${data.sources?.length ?? 0} passages; writing…`;
            else if (event === 'tool') status.lastChild.textContent = `Computed ${data.name}…`;
            else if (event === 'token' && typeof data?.text === 'string') {
              streamed += data.text;
              draw();
            }
          },
        },
      );
      state.conversationId = done.conversationId ?? state.conversationId;
      // The final answer replaces the streamed text: a generative engine may fall back mid-stream.
      container.replaceChildren(...renderAnswer(done));
      popover.attach(container, citationMap(done.citations));
      container.dataset.state = 'done';
      announcer.textContent = `Answer ready, with ${done.citations?.length ?? 0} sources.`;
    } catch (error) {
      if (isAbort(error)) {
        status.replaceChildren('Stopped.');
        status.classList.add('msg-stopped');
        body.classList.remove('streaming');
        container.append(retryRow(() => askChat(question, container)));
      } else {
        container.replaceChildren(renderError(error, () => askChat(question, container)));
        announcer.textContent = 'The answer failed; a retry button is in the conversation.';
      }
      container.dataset.state = 'failed';
    } finally {
      setBusy(undefined);
      scrollToEnd();
    }
  }

  function retryRow(onRetry) {
    const retry = h('button', { type: 'button', className: 'button' }, 'Retry');
    retry.addEventListener('click', onRetry);
    return h('div', { className: 'msg-actions' }, retry);
  }

  function renderAnswer(done) {
    const parts = [renderAnswerMarkdown(done.answer ?? '', done.citations)];
    const charts = renderToolCharts(done.toolCalls);
    if (charts) parts.push(charts);
    const sources = renderSourcesList(done.citations);
    if (sources) parts.push(sources);
    const notes = [];
    if (done.fallback) notes.push('The generative model failed, so the offline engine answered.');
    if (done.grounding?.removed?.length) notes.push(`${done.grounding.removed.length} sentence(s) were removed because a figure in them was not in their sources.`);
    const meta = [done.mode === 'openai' ? 'generative engine' : 'offline engine'];
    if (done.grounding?.figures) meta.push(`${done.grounding.grounded}/${done.grounding.figures} figures checked against sources`);
    parts.push(h('p', { className: 'msg-meta' }, meta.join(' · ')));
    for (const note of notes) parts.push(h('p', { className: 'notice notice-info' }, note));
    return parts;
  }

  function submit(text) {
    const question = (text ?? input.value).trim();
    if (!question || state.controller) return;
    input.value = '';
    resizeInput();
    addUserMessage(question);
    if (deepResearch.checked) {
      startResearch({ question, autoAccept: autoAccept.checked, thread, popover, setBusy, scrollToEnd });
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
    input.placeholder = deepResearch.checked ? 'Describe what to research…' : 'Ask about your articles or market data…';
  });
  newChatButton.addEventListener('click', () => reset());

  function reset(scope) {
    state.controller?.abort();
    state.conversationId = undefined;
    state.scope = scope;
    thread.replaceChildren();
    popover.hide();
    renderScope();
    updateExamples();
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
  };
}
