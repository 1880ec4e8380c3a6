import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParsedArticle } from '../../kb/types.ts';
import { parseDocument, type ParseInput, type ParseOutcome } from '../../ingest/parse/parse-document.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fixtureDir = path.join(repoRoot, 'test/fixtures/parse');
export const seedDir = path.resolve(repoRoot, '../shared/seeds');

export function readFixture(name: string): Buffer {
  return readFileSync(path.join(fixtureDir, name));
}

/** Parse and insist on one article, so a test failure names the outcome instead of a crash. */
export function parseOne(input: ParseInput): { article: ParsedArticle; warnings: string[] } {
  const outcome: ParseOutcome = parseDocument(input);
  if (outcome.status !== 'ok') throw new Error(`expected ok, got ${outcome.status}: ${outcome.reason}`);
  const [article] = outcome.articles;
  if (article === undefined || outcome.articles.length !== 1) throw new Error(`expected one article, got ${outcome.articles.length}`);
  return { article, warnings: outcome.warnings };
}

export function headingsOf(article: ParsedArticle): string[] {
  return article.sections.flatMap((section) => (section.heading === undefined ? [] : [section.heading]));
}

export function paragraphsOf(article: ParsedArticle): string[] {
  return article.sections.flatMap((section) => section.paragraphs);
}
