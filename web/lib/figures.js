/**
 * Turns a tool result into label/value rows for a compact table. Provenance, the ready-made
 * summary and raw session arrays are left out: they are shown elsewhere or are too long.
 */
const SKIPPED = new Set(['provenance', 'summary', 'columns', 'sessions_list']);

export function humanizeKey(key) {
  return String(key)
    .replace(/_pct$/, ' %')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());
}

export function formatValue(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value);
}

export function flattenFigures(result, { maxRows = 16 } = {}) {
  const rows = [];
  function visit(value, label, depth) {
    if (rows.length >= maxRows) return;
    if (Array.isArray(value)) {
      if (value.every((item) => item === null || typeof item !== 'object') && value.length <= 6) {
        rows.push([label, value.map(formatValue).join(', ')]);
      } else if (value.length > 0) {
        rows.push([label, `${value.length} ${value.length === 1 ? 'item' : 'items'}`]);
      }
      return;
    }
    if (value && typeof value === 'object') {
      if (depth >= 2) {
        rows.push([label, formatValue(value)]);
        return;
      }
      for (const [key, inner] of Object.entries(value)) {
        if (depth === 0 && SKIPPED.has(key)) continue;
        visit(inner, label ? `${label} ${humanizeKey(key).toLowerCase()}` : humanizeKey(key), depth + 1);
      }
      return;
    }
    rows.push([label, formatValue(value)]);
  }
  if (result && typeof result === 'object') visit(result, '', 0);
  return rows;
}

/** `{symbol: 'RUT', from: '2025-12-01'}` → `symbol RUT · from 2025-12-01`. */
export function describeArguments(args) {
  if (!args || typeof args !== 'object') return formatValue(args);
  return Object.entries(args)
    .map(([key, value]) => `${key} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : formatValue(value)}`)
    .join(' · ');
}
