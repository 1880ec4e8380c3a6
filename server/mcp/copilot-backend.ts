import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import type { ChatService } from '../chat/chat-service.ts';
import type { Library } from '../library.ts';
import type { ResearchService } from '../research/research-service.ts';
import { searchKnowledgeBase } from '../retrieval/hybrid-search.ts';
import { CreateArticleBodySchema, describeArticle } from '../routes/articles.ts';
import { ChatBodySchema } from '../routes/chat.ts';
import { PlanBodySchema, RunBodySchema } from '../routes/research.ts';
import { SearchBodySchema, serializeHit } from '../routes/search.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolContext } from '../tools/types.ts';
import type { McpBackend, McpSchemas } from './create-mcp-server.ts';

export interface CopilotServices {
  kb: KnowledgeStore;
  embedder: Embedder;
  registry: ToolRegistry;
  toolContext: () => ToolContext;
  chat: ChatService;
  research: ResearchService;
  library: Library;
  today: () => string;
  version: string;
  /** COPILOT_MCP_WRITES: whether MCP clients may ingest and delete articles. */
  allowWrites: boolean;
}

/** The request schemas the HTTP routes validate with; MCP advertises and checks the same ones. */
export const MCP_SCHEMAS: McpSchemas = { search: SearchBodySchema, chat: ChatBodySchema, plan: PlanBodySchema };

/** Binds the MCP tools to the copilot's services, each parsing its input with the route's schema. */
export function createCopilotBackend(services: CopilotServices): McpBackend {
  const { kb } = services;
  return {
    version: services.version,
    registry: services.registry,
    toolContext: services.toolContext,
    async search(body, signal) {
      const request = SearchBodySchema.parse(body);
      const result = await searchKnowledgeBase(kb, services.embedder, {
        query: request.query,
        k: request.k,
        mode: request.mode,
        today: services.today(),
        signal,
        ...(request.filters ? { filters: request.filters } : {}),
      });
      return { results: result.hits.map(serializeHit), relevance: result.relevance };
    },
    async getArticle(id) {
      const article = await kb.getArticle(id);
      return article ? describeArticle(article, await kb.passagesOf(article.id)) : undefined;
    },
    async getPassage(chunkId) {
      const [chunk] = await kb.getPassages([chunkId]);
      const article = chunk && (await kb.getArticle(chunk.articleId));
      if (!chunk || !article) return undefined;
      return {
        chunkId: chunk.id,
        articleId: article.id,
        title: article.title,
        ...(article.published ? { published: article.published } : {}),
        ...(chunk.section ? { section: chunk.section } : {}),
        ...(chunk.page ? { page: chunk.page } : {}),
        text: chunk.text,
      };
    },
    async listArticles(limit) {
      return (await kb.listArticles({ limit })).articles.map((article) => ({
        id: article.id,
        title: article.title,
        ...(article.published ? { published: article.published } : {}),
      }));
    },
    ask(body, signal) {
      const request = ChatBodySchema.parse(body);
      return services.chat.ask(
        {
          message: request.message,
          ...(request.conversationId ? { conversationId: request.conversationId } : {}),
          ...(request.filters ? { filters: request.filters } : {}),
        },
        { signal },
      );
    },
    plan(body, signal) {
      return services.research.plan(PlanBodySchema.parse(body).question, { signal });
    },
    run(body, signal) {
      return services.research.run(services.research.prepareRun(RunBodySchema.parse(body)), { signal });
    },
    writes: {
      allowed: services.allowWrites,
      async ingest(body) {
        const request = CreateArticleBodySchema.parse(body);
        const result = await services.library.addArticle({
          content: request.html ?? request.text ?? '',
          format: request.html !== undefined ? 'html' : 'text',
          defaults: {
            ...(request.title ? { title: request.title } : {}),
            ...(request.url ? { url: request.url } : {}),
            ...(request.source ? { source: request.source } : {}),
            ...(request.published ? { published: request.published } : {}),
            ...(request.tags ? { tags: request.tags } : {}),
          },
          ...(request.url ? { origin: request.url } : {}),
        });
        return { id: result.id, chunks: result.chunks, deduplicated: result.deduplicated };
      },
      remove: (id) => services.library.deleteArticle(id),
    },
  };
}
