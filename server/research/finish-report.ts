import { finalizeAnswer } from '../chat/finalize-answer.ts';
import { pluralize } from '../../lib/pluralize.ts';
import { describeArticleSource } from '../../lib/samples.ts';
import { formatSourceLabel, type Citation, type Grounding, type Source } from '../chat/types.ts';
import { REPORT_HEADINGS } from './compose-report.ts';
import type { ReportSection, ResearchReport } from './types.ts';

/**
 * Turns a draft (offline or generative) into the report (pure): the chat's finalization checks
 * every marker and figure and renumbers the citations; headings are set aside first, because a
 * heading is structure, not a claim to ground. The References section is then written here, from
 * the finalized citations only; a model never writes a reference.
 */
export interface FinishInput {
  title: string;
  draft: string;
  sources: Source[];
  /** Italic notes placed after the References (removed statements, skipped steps, fallback). */
  notes: string[];
  disclaimer: string;
}

export function finishReport(input: FinishInput): { report: ResearchReport; grounding: Grounding } {
  const headings: string[] = [];
  const protectedDraft = input.draft
    .split('\n')
    .map((line) => {
      if (!/^#{1,6}\s/.test(line)) return line;
      headings.push(line.replace(/\s*\[\d{1,3}\](?!\()/g, '').trimEnd());
      return placeholder(headings.length - 1);
    })
    .join('\n');
  const finalized = finalizeAnswer(protectedDraft, input.sources);
  let body = finalized.answer.replace(/@@heading-([a-z]+)@@/g, (_match, letters: string) => headings[fromLetters(letters)] ?? '');
  body = dropEmptySubsections(body);

  const notes = [...input.notes];
  if (finalized.grounding.removed.length > 0)
    notes.push(`Removed ${finalized.grounding.removed.length} statement(s) whose figures could not be verified against the cited sources.`);
  const references = formatReferences(finalized.citations, input.sources);
  // A section with nothing left under it (nothing found, or every statement removed) is dropped, not shown empty.
  const sections: ReportSection[] = [
    ...splitSections(body).filter((section) => section.markdown.length > 0),
    { heading: REPORT_HEADINGS.references, markdown: references },
  ];
  const markdown = [
    `# ${input.title}`,
    ...sections.map((section) => `## ${section.heading}\n\n${section.markdown}`),
    ...notes.map((note) => `_${note}_`),
    input.disclaimer,
  ].join('\n\n');
  return { report: { title: input.title, markdown, sections, citations: finalized.citations }, grounding: finalized.grounding };
}

/** One line per citation, numbered as the text cites them; articles with their date, computations with their parameters. */
export function formatReferences(citations: Citation[], sources: Source[]): string {
  if (citations.length === 0) return '_No sources were cited._';
  // The publisher as stored, with "sample article" after it for the bundled corpus's invented ones.
  const publishers = new Map(
    sources.flatMap((source) => {
      const publisher = source.kind === 'article' ? describeArticleSource(source.article) : undefined;
      return source.kind === 'article' && publisher ? [[source.article.id, publisher] as const] : [];
    }),
  );
  return citations
    .map((citation) => {
      if (citation.kind === 'article') {
        const publisher = citation.articleId ? publishers.get(citation.articleId) : undefined;
        const parts = [
          formatSourceLabel(`*${citation.title}*`, citation.page),
          publisher,
          citation.published ? `published ${citation.published}` : 'undated',
          citation.url,
        ].filter(Boolean);
        return `[${citation.n}] ${parts.join(', ')}.`;
      }
      const result = citation.result as { provenance?: { sessions?: { count: number }; conventions?: string[] } } | undefined;
      const sessions = result?.provenance?.sessions ? ` (${pluralize(result.provenance.sessions.count, 'session')})` : '';
      const convention = result?.provenance?.conventions?.[0];
      const inputs = describeArguments(citation.arguments);
      return `[${citation.n}] ${citation.title}${sessions}${inputs ? `; inputs: ${inputs}` : ''}${convention ? `; ${convention}` : ''}.`;
    })
    .join('\n');
}

/**
 * A tool's arguments as a reader follows them, not as JSON: "symbols RUT, GSPC; from 2026-05-22;
 * to 2026-08-21", "a Russell 2000 P/E 18; b S&P 500 P/E 31".
 */
export function describeArguments(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(describeArguments).join(', ');
  if (typeof value !== 'object') return String(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 2 && 'label' in value && 'value' in value)
    return `${describeArguments((value as { label: unknown }).label)} ${describeArguments((value as { value: unknown }).value)}`;
  return entries.map(([key, inner]) => `${key.replace(/_/g, ' ')} ${describeArguments(inner)}`).join('; ');
}

function splitSections(body: string): ReportSection[] {
  const sections: ReportSection[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  for (const line of body.split('\n')) {
    const heading = /^##\s+(.+)$/.exec(line);
    if (heading) {
      if (current) sections.push({ heading: current.heading, markdown: current.lines.join('\n').trim() });
      current = { heading: heading[1]!.trim(), lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) sections.push({ heading: current.heading, markdown: current.lines.join('\n').trim() });
  return sections;
}

/** A `###` heading whose every sentence was removed as ungrounded goes too. */
function dropEmptySubsections(body: string): string {
  return body
    .replace(/^###[^\n]*\n+(?=#{2,3}\s|$(?![\s\S]))/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function placeholder(index: number): string {
  // Letters only: a digit in the placeholder would read as a figure to the grounding check.
  let letters = '';
  let value = index;
  do {
    letters = String.fromCharCode(97 + (value % 26)) + letters;
    value = Math.floor(value / 26) - 1;
  } while (value >= 0);
  return `@@heading-${letters}@@`;
}

function fromLetters(letters: string): number {
  let value = 0;
  for (const letter of letters) value = value * 26 + (letter.charCodeAt(0) - 96);
  return value - 1;
}
