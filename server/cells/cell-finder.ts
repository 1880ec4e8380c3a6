import type { KnowledgeStore } from '../../kb/store.ts';
import type { Embedder } from '../../ingest/embed/embedder.ts';
import { searchKnowledgeBase } from '../retrieval/hybrid-search.ts';
import { matchRows, periodMatches } from './find-cells.ts';
import { passageCells } from './passage-table.ts';
import { readPeriod } from './periods.ts';
import { rowName } from './types.ts';

/**
 * Table cells of the knowledge base for a line item and periods, found the way the offline engine
 * finds them (search by the item, read the retrieved passages' tables, match rows): what the
 * `find_cells` tool gives the generative engine, so a model computes from cited cells.
 */
export interface FindCellsRequest {
  item: string;
  periods?: string[];
  limit?: number;
}

export interface FoundCell {
  row: string;
  column: string;
  period?: string;
  /** The figure as printed, sign applied, scale not applied. */
  value: number;
  text: string;
  unit?: string;
  scale?: string;
  passageId: string;
  articleId: string;
  title: string;
}

export interface CellFinder {
  findCells(request: FindCellsRequest, signal?: AbortSignal): Promise<FoundCell[]>;
}

export function createCellFinder(deps: { kb: KnowledgeStore; embedder: Embedder; today: () => string }): CellFinder {
  return {
    async findCells(request, signal) {
      const search = await searchKnowledgeBase(deps.kb, deps.embedder, {
        query: [request.item, ...(request.periods ?? [])].join(' '),
        k: 8,
        today: deps.today(),
        ...(signal ? { signal } : {}),
      });
      const hitOf = new Map(search.hits.map((hit) => [hit.chunk.id, hit]));
      const cells = search.hits.flatMap((hit) => passageCells(hit.chunk));
      const top = Math.max(1e-9, ...search.hits.map((hit) => hit.score));
      const rows = matchRows(
        cells,
        request.item,
        () => 1,
        (passageId) => (hitOf.get(passageId)?.score ?? 0) / top,
      );
      const periods = (request.periods ?? []).map((label) => readPeriod(label)).filter((period) => period !== undefined);
      const found: FoundCell[] = [];
      for (const row of rows) {
        for (const cell of row.cells) {
          if (cell.value === undefined) continue;
          if (periods.length > 0 && !periods.some((period) => periodMatches(cell.period, period))) continue;
          const hit = hitOf.get(cell.passageId)!;
          found.push({
            row: rowName(cell),
            column: cell.column,
            ...(cell.period ? { period: String(cell.period.quarter ? `Q${cell.period.quarter} ${cell.period.year}` : cell.period.year) } : {}),
            value: cell.value,
            text: cell.text,
            ...(cell.unit ? { unit: cell.unit } : {}),
            ...(cell.scaleWord ? { scale: cell.scaleWord } : {}),
            passageId: cell.passageId,
            articleId: hit.article.id,
            title: hit.article.title,
          });
        }
      }
      return found.slice(0, request.limit ?? 24);
    },
  };
}
