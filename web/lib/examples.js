/**
 * Example questions for an empty chat, built from what the knowledge base holds, so they are
 * answerable: the two indexes it covers most compared over a month it covers, the theme most
 * articles share, and a closing level on the day an article reported a close. Pure, so tests pin it.
 */
const INDEXES = [
  { name: 'Russell 2000', pattern: /russell[\s_-]*2000/i },
  { name: 'S&P 500', pattern: /s&p[\s_-]*500|\bsp[\s_-]?500\b/i },
  { name: 'Nasdaq Composite', pattern: /nasdaq/i },
  { name: 'Dow Jones Industrial Average', pattern: /\bdow\b|dow[\s_-]jones/i },
];

export function normalizeTag(tag) {
  return String(tag).toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function longDate(isoDate) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

function monthYear(isoDate) {
  return new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'long', timeZone: 'UTC' });
}

function isWeekday(isoDate) {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day >= 1 && day <= 5;
}

export function buildExampleQuestions(articles, { max = 4 } = {}) {
  const list = (articles ?? []).filter((article) => article && typeof article.title === 'string');
  if (list.length === 0) return [];
  const byDate = [...list].sort((a, b) => String(b.published ?? '').localeCompare(String(a.published ?? '')));
  const questions = [];

  // The two indexes the library writes about most, compared over the month of the newest article
  // that names both: a computed answer with one chart, drawn from what the library covers.
  const mentions = (article) =>
    INDEXES.filter((index) => index.pattern.test(article.title) || (article.tags ?? []).some((tag) => index.pattern.test(String(tag))));
  const counted = INDEXES.map((index) => ({ index, count: list.filter((article) => mentions(article).includes(index)).length }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
  if (counted.length >= 2) {
    const [first, second] = [counted[0].index, counted[1].index];
    const both = byDate.find((article) => article.published && mentions(article).includes(first) && mentions(article).includes(second));
    if (both) questions.push(`How did the ${first.name} compare with the ${second.name} in ${monthYear(both.published)}?`);
  }

  const counts = new Map();
  for (const article of list) {
    for (const tag of new Set((article.tags ?? []).map(normalizeTag))) {
      if (tag.length < 4 || INDEXES.some((index) => index.pattern.test(tag))) continue;
      counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
  }
  const themes = [...counts.entries()]
    .filter(([, count]) => count >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tag]) => tag);
  if (themes[0]) questions.push(`What do my articles say about ${themes[0]}?`);

  const close = byDate.find(
    (article) =>
      /\bclos(e|es|ed|ing)\b/i.test(article.title) &&
      article.published &&
      isWeekday(article.published) &&
      INDEXES.some((index) => index.pattern.test(article.title)),
  );
  if (close) {
    const index = INDEXES.find((candidate) => candidate.pattern.test(close.title));
    questions.push(`What did the ${index.name} close at on ${longDate(close.published)}?`);
  }

  if (themes[0]) questions.push(`What risks to ${themes[0]} do my articles mention?`);
  return questions.slice(0, max);
}

/** Questions for a chat scoped to one article; they name it, since a search needs words to match. */
export function buildArticleQuestions(title) {
  return [`What are the key points of “${title}”?`, `Which figures does “${title}” report?`, `What risks does “${title}” mention?`];
}
