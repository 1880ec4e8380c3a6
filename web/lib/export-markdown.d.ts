export interface ExportCitation {
  n: number;
  kind: 'article' | 'data';
  title: string;
  articleId?: string;
  published?: string;
  url?: string;
  source?: string;
  section?: string;
  page?: number;
  snippet?: string;
  tool?: string;
  arguments?: unknown;
}
export function stripDisclaimer(answer: string, disclaimer?: string): string;
export function formatReference(citation: ExportCitation, options?: { origin?: string }): string;
export function buildAnswerMarkdown(input: {
  question?: string;
  answer: string;
  citations?: ExportCitation[];
  disclaimer?: string;
  origin?: string;
  headings?: { sources: string };
}): string;
export function buildReportMarkdown(
  report: { title?: string; markdown?: string; sections?: { heading: string; markdown: string }[]; citations?: ExportCitation[] },
  options?: { origin?: string; headings?: { references: string } },
): string;
export function markdownFileName(title: string, fallback?: string): string;
