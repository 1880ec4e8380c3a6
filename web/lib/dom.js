import { getLocale } from './i18n.js';

/**
 * A tiny element builder. Text always goes in as text nodes, never as HTML, so nothing from the
 * server (article text, model output, error messages) can become markup by passing through here.
 * Attributes starting with `on` are refused: handlers are attached with addEventListener, which a
 * strict Content-Security-Policy allows.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) throw new Error(`h(): use addEventListener, not ${name}`);
    if (name === 'className') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'hidden') element.hidden = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** `2026-01-21` → `Jan 21, 2026` (2026年1月21日 in Chinese), in UTC so the date never shifts with the viewer's time zone. */
export function formatDate(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return value ?? '';
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(getLocale(), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}
