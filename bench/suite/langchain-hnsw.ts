import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * LangChain's HNSWLib vector store, loaded only for the comparison with our direct use of
 * hnswlib-node. It is optional: `@langchain/community` cannot be installed next to openai 6
 * without --legacy-peer-deps (its optional peer @browserbasehq/stagehand pins openai 4), so the
 * benchmark looks for it in the project, then in BENCH_LANGCHAIN_DIR (a folder where it was
 * installed on its own), and skips the comparison when neither has it.
 */

export interface LangChainStore {
  addVectors(vectors: number[][], documents: unknown[]): Promise<void>;
  similaritySearchVectorWithScore(query: number[], k: number): Promise<[{ metadata: Record<string, unknown> }, number][]>;
  index: { setEf(ef: number): void };
}

export interface LangChainHnsw {
  version: string;
  from: string;
  createStore(dim: number): LangChainStore;
  createDocument(text: string, label: number): unknown;
}

const STORE_MODULE = '@langchain/community/vectorstores/hnswlib';
const DOCUMENTS_MODULE = '@langchain/core/documents';

interface Modules {
  store: unknown;
  documents: unknown;
  version: string;
  from: string;
}

function loadModules(langchainDir: string | undefined): Modules | undefined {
  const bases = [join(import.meta.dirname, '../../package.json'), ...(langchainDir ? [join(langchainDir, 'package.json')] : [])];
  for (const base of bases) {
    const require = createRequire(base);
    try {
      const store: unknown = require(STORE_MODULE);
      const documents: unknown = require(DOCUMENTS_MODULE);
      const manifest: unknown = require('@langchain/community/package.json');
      const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : 'unknown';
      return { store, documents, version, from: base };
    } catch {
      // Not installed at this location: try the next one.
    }
  }
  return undefined;
}

function member(module: unknown, name: string): unknown {
  return typeof module === 'object' && module !== null && name in module ? (module as Record<string, unknown>)[name] : undefined;
}

export function loadLangChainHnsw(langchainDir: string | undefined): LangChainHnsw | undefined {
  const modules = loadModules(langchainDir);
  if (!modules) return undefined;
  const HNSWLib = member(modules.store, 'HNSWLib');
  const Document = member(modules.documents, 'Document');
  if (typeof HNSWLib !== 'function' || typeof Document !== 'function') return undefined;
  // The store only calls the embeddings for text input; we hand it vectors, so a stub suffices.
  const embeddings = {
    embedQuery: async () => {
      throw new Error('the benchmark passes vectors');
    },
    embedDocuments: async () => {
      throw new Error('the benchmark passes vectors');
    },
  };
  const StoreClass = HNSWLib as new (embeddings: unknown, args: unknown) => LangChainStore;
  const DocumentClass = Document as new (fields: unknown) => unknown;
  return {
    version: modules.version,
    from: modules.from,
    createStore: (dim) => new StoreClass(embeddings, { space: 'cosine', numDimensions: dim }),
    createDocument: (text, label) => new DocumentClass({ pageContent: text, metadata: { label } }),
  };
}
