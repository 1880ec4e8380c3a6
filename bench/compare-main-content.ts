import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chunkArticle } from '../ingest/chunk.ts';
import { extractMainContent } from '../ingest/fetch/main-content.ts';
import { CHROME_LINE_PATTERNS } from '../ingest/parse/chrome-patterns.ts';
import { parseDocument } from '../ingest/parse/parse-document.ts';
import { splitSentences } from '../ingest/sentences.ts';

/**
 * Main content of a fetched page: the project's HTML parser alone (hidden-text pass and chrome
 * stripping) against Readability in front of it, on the sample corpus's HTML articles and on the
 * seeds (text, wrapped one paragraph per line as a page would carry them). Measures: passages that
 * still hold a chrome line, and how whole the article text is (sentences of one result missing in
 * the other). Prints a Markdown table.
 *
 *   npx tsx bench/compare-main-content.ts
 */
const REPO = resolve(import.meta.dirname, '..');
const SEEDS = resolve(REPO, '../shared/seeds');

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pages(): { name: string; html: string }[] {
  const found: { name: string; html: string }[] = [];
  const articles = join(REPO, 'data/articles');
  for (const file of readdirSync(articles)
    .filter((name) => /\.html?$/.test(name))
    .sort())
    found.push({ name: file, html: readFileSync(join(articles, file), 'utf8') });
  if (existsSync(SEEDS)) {
    for (const file of readdirSync(SEEDS).sort()) {
      const lines = readFileSync(join(SEEDS, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      found.push({ name: `seed ${file}`, html: `<html><body>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}</body></html>` });
    }
  }
  return found;
}

function parse(html: string, defaults: Record<string, string> = {}) {
  const outcome = parseDocument({ content: html, format: 'html', defaults });
  if (outcome.status !== 'ok') return { sentences: new Set<string>(), chromePassages: 0, passages: 0 };
  const article = outcome.articles[0]!;
  const passages = chunkArticle(article);
  const chromePassages = passages.filter((passage) =>
    passage.text.split('\n').some((line) => CHROME_LINE_PATTERNS.some((pattern) => pattern.test(line.trim()))),
  ).length;
  const sentences = new Set(
    splitSentences(article.sections.flatMap((section) => section.paragraphs).join(' '))
      .map((sentence) => sentence.trim())
      .filter((sentence) => sentence.length > 30),
  );
  return { sentences, chromePassages, passages: passages.length };
}

const rows: string[] = [];
const totals = { parserChrome: 0, readabilityChrome: 0, onlyParser: 0, onlyReadability: 0, sentences: 0, extracted: 0 };
for (const page of pages()) {
  const today = parse(page.html);
  const main = extractMainContent(page.html, 'https://example.org/article');
  const readable = parse(main.html, main.title ? { title: main.title } : {});
  const onlyParser = [...today.sentences].filter((sentence) => !readable.sentences.has(sentence)).length;
  const onlyReadability = [...readable.sentences].filter((sentence) => !today.sentences.has(sentence)).length;
  totals.parserChrome += today.chromePassages;
  totals.readabilityChrome += readable.chromePassages;
  totals.onlyParser += onlyParser;
  totals.onlyReadability += onlyReadability;
  totals.sentences += today.sentences.size;
  if (main.extracted) totals.extracted += 1;
  rows.push(
    `| ${page.name} | ${main.extracted ? 'yes' : 'no'} | ${today.chromePassages} / ${readable.chromePassages} | ${today.sentences.size} / ${readable.sentences.size} | ${onlyParser} | ${onlyReadability} |`,
  );
}
console.log(
  '| page | Readability found an article | passages with a chrome line (parser / Readability+parser) | sentences | only in parser | only in Readability+parser |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
console.log(
  `\nTotals: chrome passages ${totals.parserChrome} vs ${totals.readabilityChrome}; article sentences ${totals.sentences}, lost by Readability ${totals.onlyParser}, added by Readability ${totals.onlyReadability}; Readability extracted ${totals.extracted} of ${rows.length} pages.`,
);
