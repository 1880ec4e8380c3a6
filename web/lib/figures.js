import { figureLabel, getLanguage, getLocale } from './i18n.js';

/**
 * Turns a tool result into labelled, rounded rows for a data citation: "Return +5.31%", "Highest
 * close 2,718.77 on Jan 22, 2026", never a raw key ("Return % 2") or raw JSON. Labels come from
 * i18n.js (FIGURE_LABELS); fields without a label get a readable name from their key. Provenance,
 * the summary and identifiers are left out: they are shown elsewhere. Pure, so tests pin it.
 */
const SKIPPED = new Set(['provenance', 'summary', 'columns', 'sessions_list', 'symbol', 'symbols', 'name', 'kind', 'point_unit', 'source']);
/** Changes get a sign; levels, volatilities and positions do not. */
const SIGNED = new Set(['return_pct', 'point_change', 'distance_pct', 'max_drawdown_pct', 'pp']);

export function humanizeKey(key) {
  return String(key)
    .replace(/_pct$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());
}

export function formatNumber(value, { digits = 2, signed = false, language = getLanguage() } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toLocaleString(getLocale(language), { minimumFractionDigits: 0, maximumFractionDigits: digits });
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}${text}`;
}

export function formatPercent(value, { signed = false, language = getLanguage() } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toLocaleString(getLocale(language), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value < 0 ? '−' : signed && value > 0 ? '+' : ''}${text}%`;
}

/** `2026-01-22` → `Jan 22, 2026` (or 2026年1月22日), in UTC. */
export function formatIsoDate(value, language = getLanguage()) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return String(value ?? '—');
  return new Date(`${value}T00:00:00Z`).toLocaleDateString(getLocale(language), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function formatValue(value, key = '', language = getLanguage()) {
  if (typeof value === 'number') {
    if (key.endsWith('_pct')) return formatPercent(value, { signed: SIGNED.has(key), language });
    if (key === 'pp') return `${formatNumber(value, { signed: true, language })} pp`;
    return formatNumber(value, { signed: SIGNED.has(key), language });
  }
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatIsoDate(value, language) : value.replace(/_/g, ' ');
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) return value.map((item) => formatValue(item, '', language)).join(', ');
  return describeObject(value, language) ?? '—';
}

/** Shapes tools use again and again: a dated price, a peak-to-trough move, a streak, a span. */
function describeObject(value, language) {
  const label = (key, values) => figureLabel(key, values, language);
  if (typeof value.price === 'number' && typeof value.date === 'string') {
    const price = formatNumber(value.price, { language });
    const dated = label('on', { value: price, date: formatIsoDate(value.date, language) });
    return value.convention ? `${dated} (${String(value.convention).replace(/_/g, ' ')})` : dated;
  }
  // A peak that is its own trough is no drawdown at all.
  if (value.peak && value.trough && value.peak.date === value.trough.date) return label('none');
  if (value.peak && value.trough) return `${describeObject(value.peak, language)} → ${describeObject(value.trough, language)}`;
  if (typeof value.sessions === 'number' && 'from' in value) {
    if (value.sessions === 0 || !value.from) return label('none');
    const count = label(value.sessions === 1 ? 'session' : 'sessionsCount', { count: value.sessions });
    return `${count}, ${formatIsoDate(value.from, language)} → ${formatIsoDate(value.to, language)}`;
  }
  if (typeof value.count === 'number' && value.from && value.to) {
    return `${label(value.count === 1 ? 'session' : 'sessionsCount', { count: value.count })}, ${formatIsoDate(value.from, language)} → ${formatIsoDate(value.to, language)}`;
  }
  return undefined;
}

function labelFor(key, language) {
  return figureLabel(key, {}, language) ?? humanizeKey(key);
}

export function flattenFigures(result, { maxRows = 16, language = getLanguage() } = {}) {
  const rows = [];
  if (!result || typeof result !== 'object') return rows;
  const push = (label, value) => {
    if (rows.length < maxRows && value !== '—' && value !== '') rows.push([label, value]);
  };
  for (const [key, value] of Object.entries(result)) {
    if (SKIPPED.has(key)) continue;
    if (Array.isArray(value) && value.length > 0 && value.every((item) => item && typeof item === 'object')) {
      for (const item of value) {
        if (typeof item.pp === 'number') {
          push(`${labelFor('relative', language)}, ${item.a} − ${item.b}`, formatValue(item.pp, 'pp', language));
          continue;
        }
        const name = item.name ?? item.symbol ?? '';
        for (const field of ['return_pct', 'point_change', 'daily_volatility_pct']) {
          if (typeof item[field] === 'number') push(`${name}: ${labelFor(field, language).toLowerCase()}`, formatValue(item[field], field, language));
        }
      }
      continue;
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.sessions_a_beat_b === 'number') {
      push(figureLabel('beat', { a: value.a, b: value.b }, language), figureLabel('of', { a: value.sessions_a_beat_b, b: value.sessions_compared }, language));
      for (const field of ['current_streak', 'longest_streak']) if (value[field]) push(labelFor(field, language), formatValue(value[field], field, language));
      continue;
    }
    push(labelFor(key, language), formatValue(value, key, language));
  }
  return rows;
}

/**
 * `{symbol: 'RUT', from: '2025-12-01'}` → `symbol RUT · from 2025-12-01`; a nested value reads as
 * its parts (`a Russell 2000 P/E 18`), never as JSON.
 */
export function describeArguments(args) {
  if (!args || typeof args !== 'object') return args === undefined ? '' : String(args);
  return Object.entries(args)
    .map(([key, value]) => `${key} ${describeArgumentValue(value)}`)
    .join(' · ');
}

function describeArgumentValue(value) {
  if (Array.isArray(value)) return value.map(describeArgumentValue).join(', ');
  if (value !== null && typeof value === 'object') return Object.values(value).map(describeArgumentValue).join(' ');
  return String(value);
}
