import { describe, expect, it } from 'vitest';
import { buildFilterCondition } from '../../../kb/postgres/filter-sql.ts';

describe('buildFilterCondition', () => {
  it('is TRUE without a filter or with an empty one', () => {
    const params: unknown[] = [];
    expect(buildFilterCondition(undefined, params)).toEqual({ sql: 'TRUE', needsArticles: false });
    expect(buildFilterCondition({ tickers: [], tags: ['  '] }, params)).toEqual({ sql: 'TRUE', needsArticles: false });
    expect(params).toEqual([]);
  });

  it('binds every value as a parameter after the ones already bound, normalising tickers, tags and company', () => {
    const params: unknown[] = ['query vector'];
    const condition = buildFilterCondition(
      {
        articleIds: ['a1'],
        tickers: ['$arbr'],
        tags: ['#Chip Makers'],
        from: '2025-01-01',
        to: '2025-12-31',
        documentType: ['10-K'],
        company: ' Arbor  Micro ',
      },
      params,
    );
    expect(condition.sql).toBe(
      'p.article_id = ANY($2::text[]) AND a.ticker_keys && $3::text[] AND a.tag_keys && $4::text[] AND a.published >= $5::text' +
        ' AND a.published <= $6::text AND a.document_type = ANY($7::text[]) AND a.company_key = $8::text',
    );
    expect(params).toEqual(['query vector', ['a1'], ['ARBR'], ['chip_makers'], '2025-01-01', '2025-12-31', ['10-K'], 'arbor micro']);
    expect(condition.needsArticles).toBe(true);
  });

  it('keeps hostile text out of the SQL', () => {
    const params: unknown[] = [];
    const condition = buildFilterCondition({ company: "x' OR 1=1 --", tickers: ["'; DROP TABLE passages; --"] }, params);
    expect(condition.sql).not.toContain('DROP');
    expect(condition.sql).not.toContain("'");
    expect(params).toHaveLength(2);
  });

  it('needs only the passages table for article ids, and selects nothing for an empty id list', () => {
    const params: unknown[] = [];
    expect(buildFilterCondition({ articleIds: [] }, params)).toEqual({ sql: 'p.article_id = ANY($1::text[])', needsArticles: false });
    expect(params).toEqual([[]]);
  });
});
