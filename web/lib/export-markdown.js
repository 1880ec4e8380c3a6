import { describeArguments } from './figures.js';

/**
 * Answers and reports as standalone Markdown files: the text with its `[n]` markers, then one
 * reference per citation (articles with publisher, date and link; computations with their tool,
 * arguments and summary), then the disclaimer. Pure, so tests pin the output.
 */

/** The answer without its closing disclaimer, which the conversation view shows once. */
export function stripDisclaimer(answer, disclaimer) {
  const text = String(answer ?? '').trimEnd();
  const closing = String(disclaimer ?? '').trim();
  if (!closing || !text.endsWith(closing)) return text;
  return text.slice(0, text.length - closing.length).trimEnd();
}

export function formatReference(citation, { origin = '' } = {}) {
  if (citation.kind === 'data') {
    const args = citation.arguments ? ` (${describeArguments(citation.arguments)})` : '';
    const summary = citation.snippet ? `: ${oneLine(citation.snippet)}` : '';
    return `[${citation.n}] ${oneLine(citation.title)}, computed with \`${citation.tool ?? 'a tool'}\`${args}${summary}`;
  }
  const link =
    citation.url && /^https?:\/\//i.test(citation.url)
      ? citation.url
      : citation.articleId && origin
        ? `${origin}/#/article/${encodeURIComponent(citation.articleId)}`
        : '';
  const parts = [
    `*${oneLine(citation.title)}*`,
    citation.source,
    citation.published ? citation.published.slice(0, 10) : undefined,
    citation.page ? `p. ${citation.page}` : undefined,
    citation.section ? `section “${oneLine(citation.section)}”` : undefined,
  ].filter(Boolean);
  return `[${citation.n}] ${parts.join(', ')}${link ? ` <${link}>` : ''}`;
}

/**
 * One answer: the question as a heading, the answer, its references and the disclaimer.
 * `origin` (e.g. `http://127.0.0.1:3000`) turns article citations into links back to the copilot.
 */
export function buildAnswerMarkdown({ question, answer, citations = [], disclaimer = '', origin = '', headings = { sources: 'Sources' } }) {
  const body = stripDisclaimer(answer, disclaimer);
  const sorted = [...citations].sort((a, b) => a.n - b.n);
  const parts = [];
  if (question) parts.push(`## ${oneLine(question)}`);
  parts.push(body);
  if (sorted.length > 0) parts.push(`### ${headings.sources}\n\n${sorted.map((citation) => `- ${formatReference(citation, { origin })}`).join('\n')}`);
  if (disclaimer) parts.push(disclaimer.trim());
  return `${parts.join('\n\n')}\n`;
}

/**
 * A research report. The server's `markdown` already carries the references and the disclaimer;
 * a report without it is assembled from its sections and citations.
 */
export function buildReportMarkdown(report, { origin = '', headings = { references: 'References' } } = {}) {
  if (typeof report.markdown === 'string' && report.markdown.trim()) return `${report.markdown.trim()}\n`;
  const sections = (report.sections ?? []).map((section) => `## ${section.heading}\n\n${section.markdown}`);
  const references = (report.citations ?? []).map((citation) => `- ${formatReference(citation, { origin })}`);
  return `${[`# ${report.title ?? 'Research report'}`, ...sections, references.length ? `## ${headings.references}\n\n${references.join('\n')}` : ''].filter(Boolean).join('\n\n')}\n`;
}

/** A file name from a title: lower case, words joined by hyphens, at most 60 characters. */
export function markdownFileName(title, fallback = 'answer') {
  const slug = String(title ?? '')
    .normalize('NFKD')
    .replace(/\p{Mark}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || fallback}.md`;
}

function oneLine(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
