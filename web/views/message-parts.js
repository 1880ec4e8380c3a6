import { api } from '../lib/api.js';
import { renderCharts } from '../lib/charts.js';
import { articleHref } from '../lib/citation-popover.js';
import { formatDate, h } from '../lib/dom.js';
import { renderMarkdown } from '../lib/markdown.js';

/** Pieces shared by chat answers and research reports. */

export function citationMap(citations) {
  return new Map((citations ?? []).map((citation) => [citation.n, citation]));
}

export function renderSourcesList(citations, { heading = 'Sources' } = {}) {
  if (!citations || citations.length === 0) return null;
  const sorted = [...citations].sort((a, b) => a.n - b.n);
  return h('section', { className: 'sources', 'aria-label': heading },
    h('h3', { className: 'sources-heading' }, heading),
    h('ol', { className: 'sources-list' }, sorted.map((citation) => {
      const href = articleHref(citation);
      const meta = citation.kind === 'data'
        ? `computed with ${citation.tool ?? 'a tool'}`
        : [citation.published ? formatDate(citation.published) : '', citation.section ?? ''].filter(Boolean).join(' · ');
      return h('li', { className: `source source-${citation.kind}`, dataset: { n: String(citation.n) } },
        h('span', { className: 'source-n', 'aria-hidden': 'true' }, String(citation.n)),
        h('span', { className: 'source-text' },
          href ? h('a', { href }, citation.title) : h('span', {}, citation.title),
          meta ? h('span', { className: 'source-meta' }, meta) : null));
    })));
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

/** A clear failure notice with a retry: never a spinner that spins forever. */
export function renderError(error, onRetry) {
  const retry = h('button', { type: 'button', className: 'button' }, 'Retry');
  retry.addEventListener('click', onRetry);
  return h('div', { className: 'notice notice-error', role: 'alert' },
    h('p', {}, h('strong', {}, titleFor(error)), ' ', error.message || 'Something went wrong.'),
    retry);
}

function titleFor(error) {
  switch (error.code) {
    case 'network':
      return 'Server unreachable.';
    case 'bad_request':
      return 'The request was refused.';
    case 'upstream_unavailable':
    case 'rate_limited':
    case 'timeout':
      return 'The model provider failed.';
    default:
      return 'Something went wrong.';
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
