import { api } from '../lib/api.js';
import { renderCharts } from '../lib/charts.js';
import { articleHref, describeDataSource } from '../lib/citation-popover.js';
import { formatDate, h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { renderMarkdown } from '../lib/markdown.js';
import { renderSampleBadge, renderSentiment } from './article-badges.js';

/** Pieces shared by chat answers and research reports. */

export function citationMap(citations) {
  return new Map((citations ?? []).map((citation) => [citation.n, citation]));
}

export function renderSourcesList(citations, { heading = t('sources.heading') } = {}) {
  if (!citations || citations.length === 0) return null;
  const sorted = [...citations].sort((a, b) => a.n - b.n);
  return h(
    'section',
    { className: 'sources', 'aria-label': heading },
    h('h3', { className: 'sources-heading' }, heading),
    h(
      'ol',
      { className: 'sources-list' },
      sorted.map((citation) => {
        const href = articleHref(citation);
        const meta =
          citation.kind === 'data'
            ? t('sources.computedWith', { tool: citation.tool ?? 'a tool' })
            : [citation.published ? formatDate(citation.published) : '', citation.section ?? ''].filter(Boolean).join(' · ');
        return h(
          'li',
          { className: `source source-${citation.kind}`, dataset: { n: String(citation.n) } },
          h('span', { className: 'source-n', 'aria-hidden': 'true' }, String(citation.n)),
          h(
            'span',
            { className: 'source-text' },
            href ? h('a', { href }, citation.title) : h('span', {}, citation.kind === 'data' ? describeDataSource(citation) : citation.title),
            meta || citation.sample || citation.sentiment || citation.tickers?.length
              ? h(
                  'span',
                  { className: 'source-meta' },
                  meta,
                  citation.sample ? [' ', renderSampleBadge(citation)] : null,
                  citation.sentiment ? [' ', renderSentiment(citation.sentiment)] : null,
                  (citation.tickers ?? []).slice(0, 4).map((ticker) => [' ', h('span', { className: 'tag tag-ticker' }, ticker)]),
                )
              : null,
          ),
        );
      }),
    ),
  );
}

export function renderAnswerMarkdown(markdown, citations) {
  return h('div', { className: 'markdown' }, renderMarkdown(markdown, { citations: citationMap(citations) }));
}

export function loadSessions(symbol, from, to) {
  return api.runTool('price_history', { symbol, from, to }).then((body) => body.result.sessions);
}

export function renderToolCharts(toolCalls) {
  return renderCharts(toolCalls, { loadSessions });
}

/** Clickable follow-up questions under an answer; `onAsk(question)` sends one. */
export function renderFollowUps(questions, onAsk) {
  if (!Array.isArray(questions) || questions.length === 0) return null;
  const id = `follow-ups-${Math.random().toString(36).slice(2, 8)}`;
  return h(
    'nav',
    { className: 'follow-ups', 'aria-labelledby': id },
    h('h3', { className: 'follow-ups-heading', id }, t('chat.followUps')),
    h(
      'ul',
      { className: 'follow-ups-list' },
      questions.map((question) => {
        const button = h('button', { type: 'button', className: 'follow-up' }, question);
        button.addEventListener('click', () => onAsk(question));
        return h('li', {}, button);
      }),
    ),
  );
}

/** A clear failure notice with a retry: never a spinner that spins forever. */
export function renderError(error, onRetry) {
  const retry = h('button', { type: 'button', className: 'button' }, t('chat.retry'));
  retry.addEventListener('click', onRetry);
  return h(
    'div',
    { className: 'notice notice-error', role: 'alert' },
    h('p', {}, h('strong', {}, titleFor(error)), ' ', error.message || t('errors.generic')),
    retry,
  );
}

function titleFor(error) {
  switch (error.code) {
    case 'network':
      return t('errors.network');
    case 'bad_request':
      return t('errors.refused');
    case 'upstream_unavailable':
    case 'rate_limited':
    case 'timeout':
      return t('errors.provider');
    default:
      return t('errors.generic');
  }
}

/** Calls `draw` at most once per animation frame, for re-rendering Markdown as tokens arrive. */
export function frameThrottle(draw) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw();
    });
  };
}
