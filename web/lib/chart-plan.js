import { t } from './i18n.js';

/**
 * Decides which tool calls of an answer deserve a chart, without touching the DOM (tested in
 * Node). Series tools: `price_history` carries its sessions; `performance` and `compare` carry
 * only figures, so their chart loads the closes for the same sessions from `price_history`.
 * One card per symbol and period: a price_history call that a performance card already covers
 * lends it its sessions instead of drawing a second chart. Performance cards of several symbols
 * over the same dates (an answer comparing them) become one chart, indexed to 100.
 */
const SHORT_PERIOD_SESSIONS = 10;
const CONTEXT_DAYS = 31;

export function planCharts(toolCalls) {
  const cards = [];
  const calls = (toolCalls ?? []).filter((call) => call && !call.error && call.result && typeof call.result === 'object');
  const histories = calls.filter((call) => call.name === 'price_history' && Array.isArray(call.result.sessions));

  for (const call of calls) {
    const result = call.result;
    const period = result.provenance?.sessions;
    if (call.name === 'compare' && Array.isArray(result.performance) && period) {
      cards.push({
        type: 'compare',
        key: `compare:${result.symbols?.join(',')}:${period.from}:${period.to}`,
        title: t('chart.indexed', { names: result.performance.map((row) => row.name ?? row.symbol).join(t('chart.vs')) }),
        from: period.from,
        to: period.to,
        series: result.performance.map((row) => ({ symbol: row.symbol, name: row.name ?? row.symbol })),
        table: {
          columns: ['', t('chart.return'), t('chart.dailyVol')],
          rows: result.performance.map((row) => [row.name ?? row.symbol, percent(row.return_pct), unsignedPercent(row.daily_volatility_pct)]),
        },
      });
    } else if (call.name === 'performance' && period && result.symbol) {
      // The base may be the close before the period (prior_close); the chart starts there.
      const start = typeof result.base?.date === 'string' && result.base.date < period.from ? result.base.date : period.from;
      const span = { from: start, to: period.to };
      const history = histories.find((item) => item.result.symbol === result.symbol && covers(item.result.sessions, span));
      // A day or a week is no chart: show the month around it for context.
      const short = (period.count ?? 0) < SHORT_PERIOD_SESSIONS;
      const sessions = history ? (short ? history.result.sessions : sliceSessions(history.result.sessions, span)) : undefined;
      const from = sessions ? sessions[0].date : short ? shiftDays(span.to, -CONTEXT_DAYS) : span.from;
      cards.push({
        type: 'single',
        measured: true,
        key: `series:${result.symbol}:${from}:${span.to}`,
        title: t('chart.span', { name: result.name ?? result.symbol, from, to: span.to }),
        from,
        to: span.to,
        series: [{ symbol: result.symbol, name: result.name ?? result.symbol }],
        sessions,
        returnText: percent(result.return_pct),
        volatilityText: unsignedPercent(result.daily_volatility_pct),
        table: {
          columns: [t('chart.figure'), t('chart.value')],
          rows: [
            [t('chart.return'), percent(result.return_pct)],
            [t('chart.change'), signed(result.point_change, result.point_unit)],
            [baseLabel(result.base), number(result.base?.price)],
            [t('chart.close', { date: result.last?.date ?? '' }).trim(), number(result.last?.price)],
            [t('chart.dailyVolatility'), unsignedPercent(result.daily_volatility_pct)],
            [t('chart.maxDrawdown'), percent(result.max_drawdown_pct)],
            [t('chart.sessions'), number(result.sessions)],
          ].filter((row) => row[1] !== '—'),
        },
      });
    }
  }

  for (const call of histories) {
    const result = call.result;
    const first = result.sessions[0];
    const last = result.sessions.at(-1);
    if (!first || !last) continue;
    const covered = cards.some((card) => card.type === 'single' && card.series[0].symbol === result.symbol && card.from <= last.date && card.to >= first.date);
    if (covered) continue;
    const closes = result.sessions.map((bar) => bar.close).filter((value) => typeof value === 'number');
    cards.push({
      type: 'single',
      key: `series:${result.symbol}:${first.date}:${last.date}`,
      title: t('chart.span', { name: result.name ?? result.symbol, from: first.date, to: last.date }),
      from: first.date,
      to: last.date,
      series: [{ symbol: result.symbol, name: result.name ?? result.symbol }],
      sessions: result.sessions,
      table: {
        columns: [t('chart.figure'), t('chart.value')],
        rows: [
          [t('chart.close', { date: first.date }), number(first.close)],
          [t('chart.close', { date: last.date }), number(last.close)],
          [t('chart.change'), percent(first.close ? ((last.close - first.close) / first.close) * 100 : undefined)],
          [t('chart.highest'), number(Math.max(...closes))],
          [t('chart.lowest'), number(Math.min(...closes))],
          [t('chart.sessions'), number(result.sessions.length)],
        ],
      },
    });
  }
  const seen = new Set();
  return mergeSamePeriod(cards.filter((card) => (seen.has(card.key) ? false : (seen.add(card.key), true))));
}

/** Performance cards of different symbols over the same dates → one compare card in their place. */
function mergeSamePeriod(cards) {
  const groups = new Map();
  for (const card of cards) {
    if (card.type !== 'single' || !card.measured) continue;
    const key = `${card.from}:${card.to}`;
    groups.set(key, [...(groups.get(key) ?? []), card]);
  }
  const merged = [];
  const placed = new Set();
  for (const card of cards) {
    const group = card.measured ? groups.get(`${card.from}:${card.to}`) : undefined;
    if (!group || group.length < 2) {
      merged.push(card);
      continue;
    }
    if (placed.has(group)) continue;
    placed.add(group);
    const series = group.map((item) => item.series[0]);
    merged.push({
      type: 'compare',
      key: `compare:${series.map((item) => item.symbol).join(',')}:${card.from}:${card.to}`,
      title: t('chart.indexed', { names: series.map((item) => item.name).join(t('chart.vs')) }),
      from: card.from,
      to: card.to,
      series,
      table: {
        columns: ['', t('chart.return'), t('chart.dailyVol')],
        rows: group.map((item) => [item.series[0].name, item.returnText, item.volatilityText]),
      },
    });
  }
  return merged;
}

function covers(sessions, period) {
  return sessions.length > 0 && sessions[0].date <= period.from && sessions.at(-1).date >= period.to;
}

function shiftDays(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function sliceSessions(sessions, period) {
  return sessions.filter((bar) => bar.date >= period.from && bar.date <= period.to);
}

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

export function number(value) {
  return isNumber(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '—';
}

export function percent(value) {
  return isNumber(value) ? `${value > 0 ? '+' : ''}${value.toFixed(2)}%` : '—';
}

export function unsignedPercent(value) {
  return isNumber(value) ? `${value.toFixed(2)}%` : '—';
}

function signed(value, unit) {
  return isNumber(value) ? `${value > 0 ? '+' : ''}${number(value)}${unit ? ` ${unit}` : ''}` : '—';
}

/** "Prior close 2026-01-13": the base a return is measured from, by its convention. */
function baseLabel(base) {
  const date = base?.date ?? '';
  const convention = String(base?.convention ?? 'base');
  const key = `chart.base.${convention}`;
  const label = t(key, { date });
  return (label === key ? `${convention.charAt(0).toUpperCase()}${convention.slice(1).replace(/_/g, ' ')} ${date}` : label).trim();
}

/** Closes rebased so the first session is 100, for comparing series of different levels. */
export function rebase(closes) {
  const base = closes.find(isNumber);
  return closes.map((value) => (isNumber(value) && base ? (value / base) * 100 : null));
}
