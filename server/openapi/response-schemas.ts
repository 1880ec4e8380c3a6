import { z } from 'zod';
import { FinancialMetadataSchema } from '../../kb/types.ts';

/**
 * What the routes answer, as zod schemas for the OpenAPI description. Requests are described by the
 * routes' own schemas (the ones they validate with); these describe the responses the routes build.
 */
export const ErrorResponseSchema = z
  .object({ error: z.object({ code: z.string().meta({ example: 'bad_request' }), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every client mistake and server fault has this shape.' });

const ArticleSummarySchema = z
  .object({
    id: z.string().meta({ example: '3f2a9c1d4b5e6f70' }),
    title: z.string(),
    published: z.string().optional(),
    source: z.string().optional(),
    url: z.string().optional(),
    tags: z.array(z.string()),
    tickers: z.array(z.string()),
    sentiment: z.string().optional().meta({ description: 'The sentiment label extracted at ingest (positive, negative, bullish, bearish, neutral, mixed).' }),
    /** What a financial document states about itself (company, ticker, fiscal year and period, type). */
    financial: FinancialMetadataSchema.optional(),
    sample: z.literal(true).optional().meta({ description: 'Set on the bundled sample articles (invented publishers); shown as "sample article".' }),
  })
  .meta({ id: 'ArticleSummary' });

export const RemovedSamplesResponseSchema = z.object({ removed: z.number().int().meta({ description: 'How many sample articles were removed' }) });

export const ArticleListResponseSchema = z.object({ articles: z.array(ArticleSummarySchema), total: z.number().int() });

export const ArticleResponseSchema = ArticleSummarySchema.extend({
  language: z.string().optional(),
  references: z.array(z.object({ n: z.number().int(), text: z.string() })),
  text: z.string(),
  chunks: z.array(
    z.object({
      id: z.string(),
      section: z.string().optional(),
      text: z.string(),
      page: z.number().int().optional(),
      table: z.object({ caption: z.string().optional(), headerRows: z.number().int(), rows: z.array(z.array(z.string())) }).optional(),
    }),
  ),
}).meta({ id: 'Article' });

export const CreatedArticleResponseSchema = z.object({
  id: z.string(),
  chunks: z.number().int(),
  deduplicated: z.boolean(),
  warnings: z.array(z.string()).optional(),
});

export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  articles: z.number().int(),
  chunks: z.number().int(),
  embedder: z.object({ id: z.string(), dim: z.number().int() }),
  llm: z.object({ mode: z.enum(['offline', 'openai']), model: z.string().optional() }),
  store: z.string().optional(),
  version: z.number().int().optional(),
  warm: z.boolean().optional().describe('false while the server still warms up after its start; requests are answered meanwhile'),
  issues: z.array(z.string()).optional(),
});

export const SearchResponseSchema = z.object({
  results: z.array(
    z
      .object({
        chunkId: z.string(),
        articleId: z.string(),
        title: z.string(),
        published: z.string().optional(),
        section: z.string().optional(),
        page: z.number().int().optional(),
        text: z.string(),
        score: z.number(),
      })
      .meta({ id: 'SearchResult' }),
  ),
  relevance: z.enum(['none', 'weak', 'strong']),
  query: z.record(z.string(), z.unknown()),
});

const CitationSchema = z
  .object({
    n: z.number().int(),
    kind: z.enum(['article', 'data']),
    articleId: z.string().optional(),
    chunkId: z.string().optional(),
    title: z.string(),
    published: z.string().optional(),
    url: z.string().optional(),
    page: z.number().int().optional(),
    sentiment: z.string().optional(),
    tickers: z.array(z.string()).optional(),
    sample: z.literal(true).optional().meta({ description: 'The cited article belongs to the bundled sample corpus' }),
    snippet: z.string(),
  })
  .meta({ id: 'Citation' });

const ToolCallSchema = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), result: z.unknown() }).meta({ id: 'ToolCall' });

export const ChatResponseSchema = z
  .object({
    conversationId: z.string(),
    mode: z.enum(['offline', 'openai']),
    answer: z.string().meta({ description: 'Markdown; each [n] resolves to the citation with the same n.' }),
    citations: z.array(CitationSchema),
    toolCalls: z.array(ToolCallSchema),
    grounding: z.object({ figures: z.number().int(), grounded: z.number().int() }),
    followUps: z.array(z.string()).meta({ description: 'Two or three questions to ask next, built from what the answer found; empty after a refusal.' }),
    disclaimer: z.string().meta({ description: 'The disclaimer that closes `answer`, for clients that show it once per conversation.' }),
  })
  .meta({ id: 'ChatResponse' });

const ConversationSummarySchema = z
  .object({ id: z.string(), title: z.string(), created: z.string(), updated: z.string(), turns: z.number().int() })
  .meta({ id: 'ConversationSummary' });

export const ConversationListResponseSchema = z.object({ conversations: z.array(ConversationSummarySchema) });

export const ConversationResponseSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    created: z.string(),
    updated: z.string(),
    turns: z.array(
      z.object({
        question: z.string(),
        at: z.string().optional(),
        response: z
          .record(z.string(), z.unknown())
          .meta({ description: 'The chat response as it was answered: mode, answer, citations, toolCalls, grounding, followUps, disclaimer.' }),
      }),
    ),
  })
  .meta({ id: 'Conversation' });

export const ToolListResponseSchema = z.array(z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }));
export const ToolRunResponseSchema = z.object({ result: z.record(z.string(), z.unknown()) });

export const PlanResponseSchema = z
  .object({
    planId: z.string(),
    question: z.string(),
    steps: z.array(z.object({ id: z.string(), title: z.string(), query: z.string(), tools: z.array(z.unknown()) }).meta({ id: 'PlanStep' })),
  })
  .meta({ id: 'ResearchPlan' });

export const ReportResponseSchema = z.object({
  report: z.object({
    title: z.string(),
    markdown: z.string(),
    sections: z.array(z.object({ heading: z.string(), markdown: z.string() })),
    citations: z.array(z.unknown()),
  }),
});
