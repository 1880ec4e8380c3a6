import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { defineTool } from '../types.ts';

export const FindCellsArgsSchema = z.object({
  item: z.string().trim().min(1).max(200).describe('The line item as the question names it: "total revenue", "cost of sales", "inventories".'),
  periods: z.array(z.string().trim().min(1).max(40)).max(12).optional().describe('Periods to keep: "2019", "FY2023", "Q2 2024". All periods when omitted.'),
  limit: z.number().int().min(1).max(60).default(24),
});

export const findCellsTool = defineTool({
  name: 'find_cells',
  description:
    "Finds table cells in the user's documents for a line item (and periods): each cell's row (under its section), column, period, " +
    'the figure as printed, unit and scale, and the passage and document it comes from. Use the figures with compute, and cite the passage.',
  schema: FindCellsArgsSchema,
  async run(args, context) {
    if (!context.cells) throw new AppError('not_found', 'No document knowledge base is connected to the tools here; find_cells needs one.');
    const cells = await context.cells.findCells({ item: args.item, ...(args.periods ? { periods: args.periods } : {}), limit: args.limit }, context.signal);
    return {
      item: args.item,
      cells,
      provenance: {
        conventions: ['figures as printed in the table (parentheses read as negative, dashes as no value); apply `scale` for absolute amounts'],
        source: 'input',
        note: 'Cells from the documents in the knowledge base; cite the passage each comes from.',
      },
      summary:
        cells.length === 0
          ? `No table cells found for "${args.item}".`
          : `${cells.length} cells for "${args.item}": ${cells
              .slice(0, 4)
              .map((cell) => `${cell.row} ${cell.period ?? cell.column} = ${cell.text}`)
              .join('; ')}${cells.length > 4 ? '; …' : ''}`,
    };
  },
});
