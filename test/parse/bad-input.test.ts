import { describe, expect, it } from 'vitest';
import { findInvalidUtf8Offset } from '../../ingest/parse/decode.ts';
import { formatFromFilename, parseDocument, sniffFormat } from '../../ingest/parse/parse-document.ts';

describe('bad input never throws', () => {
  it('reports an empty file and a whitespace-only file as empty', () => {
    expect(parseDocument({ content: new Uint8Array(0), filename: 'a.txt' }).status).toBe('empty');
    expect(parseDocument({ content: Buffer.from(' \n\t\r\n  '), filename: 'a.html' }).status).toBe('empty');
    expect(parseDocument({ content: '   ', format: 'markdown' }).status).toBe('empty');
  });

  it('fails binary garbage named .html', () => {
    const garbage = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const outcome = parseDocument({ content: garbage, filename: 'page.html' });
    expect(outcome).toEqual({ status: 'failed', reason: expect.stringMatching(/^binary content/) });
    const controls = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect(parseDocument({ content: controls, filename: 'page.html' }).status).toBe('failed');
    expect(parseDocument({ content: 'text with a \u0000 NUL', format: 'text' }).status).toBe('failed');
  });

  it('fails invalid UTF-8 with the byte offset', () => {
    const bytes = Buffer.concat([Buffer.from('Valid start, then '), Buffer.from([0xc3, 0x28]), Buffer.from(' more.')]);
    expect(parseDocument({ content: bytes, filename: 'a.txt' })).toEqual({
      status: 'failed',
      reason: 'invalid UTF-8 at byte offset 18 (byte 0xc3)',
    });
  });

  it('finds the first invalid UTF-8 byte, including overlongs, surrogates and truncation', () => {
    expect(findInvalidUtf8Offset(Buffer.from('héllo 你好 😀'))).toBe(-1);
    expect(findInvalidUtf8Offset(Uint8Array.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(findInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(findInvalidUtf8Offset(Uint8Array.from([0x41, 0x42, 0xe4, 0xbd]))).toBe(2);
  });

  it('fails input over the size limit, naming size and limit', () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x61);
    const outcome = parseDocument({ content: big, filename: 'big.html' });
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'input is 20.0 MiB (20971520 bytes), over the 8.0 MiB limit (8388608 bytes)',
    });
    const small = parseDocument({ content: 'A short note about copper prices rising again.', format: 'text', maxBytes: 10 });
    expect(small.status === 'failed' && small.reason).toMatch(/over the 10 bytes limit \(10 bytes\)/);
  });

  it('decodes UTF-16 with a byte-order mark and strips a UTF-8 one', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zinc Rally\n\nZinc rose 3% on smelter cuts in Europe this week.', 'utf16le')]);
    const outcome = parseDocument({ content: utf16, filename: 'a.txt' });
    expect(outcome.status === 'ok' && outcome.articles[0]?.title).toBe('Zinc Rally');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Tin Slips\n\nTin fell as Myanmar mines restarted output.')]);
    const withBom = parseDocument({ content: bom, filename: 'b.txt' });
    expect(withBom.status === 'ok' && withBom.articles[0]?.title).toBe('Tin Slips');
  });
});

describe('format selection', () => {
  it('maps extensions, lets an explicit format win, and sniffs otherwise', () => {
    expect(formatFromFilename('a/B.HTM')).toBe('html');
    expect(formatFromFilename('notes.markdown')).toBe('markdown');
    expect(formatFromFilename('data.json')).toBe('json');
    expect(formatFromFilename('scan.pdf')).toBeUndefined();
    expect(sniffFormat('<!DOCTYPE html><html><body><p>x</p></body></html>')).toBe('html');
    expect(sniffFormat('[{"title":"a","text":"b"}]')).toBe('json');
    expect(sniffFormat('---\ntitle: x\n---\nBody')).toBe('markdown');
    expect(sniffFormat('# Heading\n\nBody')).toBe('markdown');
    expect(sniffFormat('Title line\n#small_cap #rates\nBody text.')).toBe('text');
  });

  it('reads markup as text when the caller says text', () => {
    const outcome = parseDocument({
      content: '<p>Shown as written</p>\n\nThe angle brackets stay because the caller asked for text.',
      filename: 'x.html',
      format: 'text',
    });
    expect(outcome.status === 'ok' && outcome.articles[0]?.title).toBe('<p>Shown as written</p>');
  });
});
