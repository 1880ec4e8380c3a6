import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/**
 * An article's sentiment label and related tickers, as extracted at ingest, shown the same way in
 * the library, the article page and citation popovers. Labels are the ingest's English words
 * (ingest/parse/chrome-patterns.ts); the tone only picks a colour.
 */
const TONES = { positive: 'up', bullish: 'up', negative: 'down', bearish: 'down', neutral: 'flat', mixed: 'flat' };

export function renderSentiment(value) {
  if (typeof value !== 'string' || !value.trim()) return null;
  const key = value.trim().toLowerCase();
  const label = t(`sentiment.${key}`) === `sentiment.${key}` ? value : t(`sentiment.${key}`);
  return h(
    'span',
    { className: `sentiment sentiment-${TONES[key] ?? 'flat'}`, title: t('sentiment.label', { value: label }) },
    h('span', { className: 'visually-hidden' }, t('sentiment.label', { value: '' })),
    label,
  );
}

/**
 * "sample article" on an article of the bundled corpus (`sample: true` from the API), so its
 * invented publisher is never mistaken for a real one beside the user's own uploads.
 */
export function renderSampleBadge(item) {
  if (!item?.sample) return null;
  return h('span', { className: 'sample-badge', title: t('sample.title') }, t('sample.label'));
}

export function renderTags(article, { maxTags = 8 } = {}) {
  const sample = renderSampleBadge(article);
  const sentiment = renderSentiment(article.sentiment);
  const tickers = (article.tickers ?? []).map((ticker) => h('li', { className: 'tag tag-ticker' }, ticker));
  const tags = (article.tags ?? []).slice(0, maxTags).map((tag) => h('li', { className: 'tag' }, tag.replace(/[_]+/g, ' ')));
  if (!sample && !sentiment && tickers.length + tags.length === 0) return null;
  return h(
    'ul',
    { className: 'tags', 'aria-label': t('tags.label') },
    sample ? h('li', { className: 'tag-sample' }, sample) : null,
    sentiment ? h('li', { className: 'tag-sentiment' }, sentiment) : null,
    tickers,
    tags,
  );
}
