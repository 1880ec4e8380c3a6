import { describe, expect, it } from 'vitest';
import type { TableData } from '../../kb/types.ts';
import { answerOverTables, tableHit } from '../helpers/cell-hits.ts';

/** Which rows and columns a question's words pick, over hand-built tables laid out as annual reports print them. */
describe('cell lookup in answers', () => {
  const exposure: TableData = {
    headerRows: 1,
    rows: [
      ['', 'EUR denominated €m', 'Non-EUR denominated €m'],
      ['As at 30 June 2020', '', ''],
      ['Monetary assets, current', '500', '70'],
      ['Monetary assets, non-current', '25', '–'],
      ['Monetary liabilities, current', '(40)', '(90)'],
      ['Monetary liabilities, non-current', '(5)', '(30)'],
      ['', '480', '(50)'],
      ['As at 30 June 2019', '', ''],
      ['Monetary assets, current', '410', '60'],
      ['Monetary assets, non-current', '35', '–'],
      ['Monetary liabilities, current', '(20)', '(80)'],
      ['Monetary liabilities, non-current', '(8)', '(25)'],
      ['', '417', '(45)'],
    ],
  };

  it('adds up the rows that name every word the best row names, in the column and dated section asked', async () => {
    // 500 + 25: the liabilities rows share "monetary" and the column, not "assets"; the unlabelled net line names nothing asked.
    const later = await answerOverTables('What was the total EUR denominated monetary assets as at 30 June 2020?', [tableHit('p1', exposure)]);
    expect(later!.lead).toMatch(/^\*\*525 million\*\*/);
    // 410 + 35: the rows under the section dated to the day asked, though the other section's rows are named as well.
    const earlier = await answerOverTables('What was the total EUR denominated monetary assets as at 30 June 2019?', [tableHit('p1', exposure)]);
    expect(earlier!.lead).toMatch(/^\*\*445 million\*\*/);
  });
});
