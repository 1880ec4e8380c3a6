import uPlot from '../vendor/uPlot.esm.js';
import { h } from './dom.js';
import { planCharts, rebase } from './chart-plan.js';
import { t } from './i18n.js';

const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4'];

/**
 * Chart cards (uPlot line chart + compact figures table) for the series tool calls of an answer.
 * `loadSessions(symbol, from, to)` fetches closes for cards whose tool result has none.
 */
export function renderCharts(toolCalls, { loadSessions }) {
  const cards = planCharts(toolCalls);
  if (cards.length === 0) return null;
  return h(
    'div',
    { className: 'charts' },
    cards.map((card) => renderCard(card, loadSessions)),
  );
}

function renderCard(card, loadSessions) {
  const plot = h('div', { className: 'chart-plot', role: 'img', 'aria-label': t('chart.label', { title: card.title }) });
  const table = h(
    'table',
    { className: 'figures' },
    h('caption', { className: 'visually-hidden' }, t('chart.figures', { title: card.title })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        card.table.columns.map((column) => h('th', { scope: 'col' }, column)),
      ),
    ),
    h(
      'tbody',
      {},
      card.table.rows.map((row) =>
        h(
          'tr',
          {},
          row.map((cell, index) => (index === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
        ),
      ),
    ),
  );
  const figure = h('figure', { className: 'chart-card' }, h('figcaption', {}, card.title), h('div', { className: 'chart-body' }, plot, table));
  loadCardSeries(card, loadSessions)
    .then((data) => drawWhenSized(plot, card, data))
    .catch(() => {
      plot.classList.add('chart-unavailable');
      plot.textContent = t('chart.unavailable');
    });
  return figure;
}

async function loadCardSeries(card, loadSessions) {
  const sessionLists = card.sessions ? [card.sessions] : await Promise.all(card.series.map((series) => loadSessions(series.symbol, card.from, card.to)));
  const dates = [...new Set(sessionLists.flat().map((bar) => bar.date))].sort();
  const columns = sessionLists.map((sessions) => {
    const byDate = new Map(sessions.map((bar) => [bar.date, bar.close]));
    const closes = dates.map((date) => byDate.get(date) ?? null);
    return card.type === 'compare' ? rebase(closes) : closes;
  });
  if (dates.length < 2) throw new Error('not enough sessions to draw');
  return [dates.map((date) => Date.parse(`${date}T00:00:00Z`) / 1000), ...columns];
}

function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#2563eb';
}

function drawWhenSized(container, card, data) {
  let chart;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(container.clientWidth);
    if (width <= 0) return;
    if (chart) chart.setSize({ width, height: 180 });
    else chart = createChart(container, card, data, width);
  });
  observer.observe(container);
}

function createChart(container, card, data, width) {
  const axisColor = cssColor('--muted');
  const gridColor = cssColor('--border');
  const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
  return new uPlot(
    {
      width,
      height: 180,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: card.series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 56 }],
      series: [
        {},
        ...card.series.map((series, index) => ({
          label: series.name,
          stroke: cssColor(PALETTE[index % PALETTE.length]),
          width: 2,
          spanGaps: true,
          value: (_chart, value) => (value === null || value === undefined ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 2 })),
        })),
      ],
    },
    data,
    container,
  );
}
