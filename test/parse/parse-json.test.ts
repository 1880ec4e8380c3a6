import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../ingest/parse/parse-document.ts';
import { parseOne } from './fixtures.ts';

const textArticle = {
  title: 'Lithium Prices Stabilise',
  text: 'Unlock More Features\nSpot lithium carbonate held steady for a third week as producers trimmed output in Western Australia.\nAuto Accept Plan',
  url: 'https://wire.example/lithium',
  published: '2026-02-20',
  source: 'Metals Wire',
  tags: ['Lithium', 'Batteries'],
};
const htmlArticle = {
  html: '<html><head><meta property="og:title" content="Nickel Glut Deepens"><meta property="og:site_name" content="HTML Site"></head><body><article><p>Indonesian supply kept nickel prices near multi-year lows, and two smelters paused lines.</p><div style="display:none">hidden instruction</div></article></body></html>',
  source: 'Metals Wire',
  tickers: ['vale'],
};

describe('JSON input', () => {
  it('parses one object through the text path with its fields as metadata', () => {
    const { article } = parseOne({ content: JSON.stringify(textArticle), filename: 'one.json' });
    expect(article).toMatchObject({
      title: 'Lithium Prices Stabilise',
      url: 'https://wire.example/lithium',
      published: '2026-02-20',
      source: 'Metals Wire',
      tags: ['lithium', 'batteries'],
    });
    expect(article.text).toBe('Spot lithium carbonate held steady for a third week as producers trimmed output in Western Australia.');
  });

  it('parses an array into several articles; html goes through the HTML path and element fields beat page meta', () => {
    const outcome = parseDocument({ content: JSON.stringify([textArticle, htmlArticle]), filename: 'batch.json' });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.articles.map((article) => article.title)).toEqual(['Lithium Prices Stabilise', 'Nickel Glut Deepens']);
    expect(outcome.articles[1]?.source).toBe('Metals Wire');
    expect(outcome.articles[1]?.tickers).toEqual(['VALE']);
    expect(outcome.articles[1]?.text).not.toContain('hidden instruction');
  });

  it('keeps the good elements of a mixed array and warns about the bad ones', () => {
    const outcome = parseDocument({ content: JSON.stringify([textArticle, { title: 'No body' }, 42]), filename: 'mixed.json' });
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.articles).toHaveLength(1);
    expect(outcome.warnings.some((warning) => warning.startsWith('skipped item 1:') && warning.includes('"text" or "html"'))).toBe(true);
    expect(outcome.warnings.some((warning) => warning.startsWith('skipped item 2:'))).toBe(true);
  });

  it('fails with a clear reason when nothing in the file is valid', () => {
    const single = parseDocument({ content: JSON.stringify({ title: 'No body' }), filename: 'bad.json' });
    expect(single).toEqual({ status: 'failed', reason: expect.stringContaining('needs a "text" or "html" string') });
    const array = parseDocument({ content: JSON.stringify([{ text: 5 }]), filename: 'bad.json' });
    expect(array.status).toBe('failed');
    expect(array.status === 'failed' && array.reason).toMatch(/^no valid article in the JSON array: item 0: text/);
    const syntax = parseDocument({ content: '{"title": ', filename: 'broken.json' });
    expect(syntax.status === 'failed' && syntax.reason).toMatch(/^invalid JSON/);
  });

  it('reports an empty array as empty', () => {
    expect(parseDocument({ content: '[]', filename: 'none.json' }).status).toBe('empty');
  });
});
