export interface ArticleSummary {
  id?: string;
  title: string;
  published?: string;
  tags?: string[];
  tickers?: string[];
}
export function normalizeTag(tag: string): string;
export function buildExampleQuestions(articles: ArticleSummary[], options?: { max?: number }): string[];
export function buildArticleQuestions(title: string): string[];
