import PDFDocument from 'pdfkit';

/**
 * PDFs written at test time with pdfkit, every line placed explicitly so the layout (columns,
 * table cells, running headers) is exactly what a test asserts about. Company and figures invented.
 */
export interface PdfLine {
  text: string;
  x: number;
  y: number;
  size?: number;
}

export interface PdfPageSpec {
  lines: PdfLine[];
  /** Draw a shape so the page is not empty, but put no text on it (a scanned page, say). */
  imageOnly?: boolean;
}

export interface PdfSpec {
  pages: PdfPageSpec[];
  title?: string;
  author?: string;
  userPassword?: string;
  /** Running header and "Page n of N" footer on every page with text. */
  runningHeader?: string;
}

export function buildPdf(spec: PdfSpec): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'LETTER',
    margin: 0,
    autoFirstPage: false,
    info: { ...(spec.title ? { Title: spec.title } : {}), ...(spec.author ? { Author: spec.author } : {}), CreationDate: new Date('2026-02-20T12:00:00Z') },
    ...(spec.userPassword ? { userPassword: spec.userPassword, pdfVersion: '1.7' as const } : {}),
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  spec.pages.forEach((page, index) => {
    document.addPage({ size: 'LETTER', margin: 0 });
    if (page.imageOnly) {
      document.rect(100, 100, 400, 500).fill('#888888').fillColor('black');
      return;
    }
    if (spec.runningHeader) {
      document.font('Helvetica').fontSize(8).text(spec.runningHeader, 72, 30, { lineBreak: false });
      document.fontSize(8).text(`Page ${index + 1} of ${spec.pages.length}`, 280, 760, { lineBreak: false });
    }
    for (const line of page.lines)
      document
        .font('Helvetica')
        .fontSize(line.size ?? 10)
        .text(line.text, line.x, line.y, { lineBreak: false });
  });
  document.end();
  return done;
}

/** Lines of a paragraph set in one column from `y` down, 13 points apart. */
export function column(x: number, y: number, texts: string[], size = 10): PdfLine[] {
  return texts.map((text, index) => ({ text, x, y: y + index * 13, size }));
}

/** A table row: a label at `labelX` and values right-aligned to the given right edges. */
export function tableRow(y: number, label: string, values: string[], rightEdges: number[], size = 10): PdfLine[] {
  const approximateWidth = (text: string) => text.length * size * 0.5;
  return [
    ...(label === '' ? [] : [{ text: label, x: 72, y, size }]),
    ...values.map((value, index) => ({ text: value, x: rightEdges[index]! - approximateWidth(value), y, size })),
  ];
}

/** The report most tests read: two columns, a hyphenated break, a table, a blank page, running chrome. */
export function sampleReportSpec(): PdfSpec {
  const left = column(72, 120, [
    'Tessaline Robotics sells welding arms to',
    'carmakers and shipyards. Orders rose in',
    'every quarter of the year as the manu-',
    'facturing backlog in Europe cleared.',
  ]);
  const leftSecond = column(72, 190, ['Service revenue grew faster than hardware', 'because the installed base kept expanding.']);
  const right = column(320, 120, [
    'The board expects margins to hold near',
    'their long-term average while a second',
    'plant ramps up during the coming year.',
    'Management sees no change to guidance.',
  ]);
  const rightSecond = column(320, 190, ['Capital spending will stay within the', 'range set out at the investor day event.']);
  const edges = [380, 470];
  return {
    title: 'Tessaline Robotics Annual Report 2025',
    author: 'Investor Relations Team',
    runningHeader: 'Tessaline Robotics | Annual Report 2025',
    pages: [
      { lines: [{ text: 'Overview of the year', x: 72, y: 80, size: 16 }, ...left, ...leftSecond, ...right, ...rightSecond] },
      {
        lines: [
          { text: 'Financial results', x: 72, y: 80, size: 16 },
          { text: 'Consolidated results (in millions)', x: 72, y: 120 },
          { text: 'Year ended December 31', x: 330, y: 140 },
          ...tableRow(155, '', ['2025', '2024'], edges),
          ...tableRow(172, 'Revenue', ['1,250.4', '1,100.2'], edges),
          ...tableRow(187, 'Cost of sales', ['(700.1)', '(650.0)'], edges),
          ...tableRow(202, 'Gross profit', ['550.3', '450.2'], edges),
          ...column(72, 250, ['Revenue grew by a little over a tenth on higher', 'shipments of large welding cells.']),
        ],
      },
      { lines: [], imageOnly: true },
      {
        lines: [
          { text: 'Outlook', x: 72, y: 80, size: 16 },
          ...column(72, 120, ['The company plans to open a service centre in', 'Rotterdam and to hire two hundred engineers.']),
        ],
      },
    ],
  };
}

/**
 * A one-page statement of operations set as filings set it: a caption, a column heading spanning
 * both years over the years, a units line in the label column, line items whose labels wrap onto
 * a second line (the figures on the second line, or on the first), and a group heading ending in
 * a colon. Company and figures invented.
 */
export function statementSpec(): PdfSpec {
  const edges = [400, 490];
  const row = (y: number, label: string, values: string[], indent = 0): PdfLine[] =>
    tableRow(y, '', values, edges).concat(label === '' ? [] : [{ text: label, x: 72 + indent, y, size: 10 }]);
  return {
    title: 'Quarry Hill Foods Annual Report 2025',
    pages: [
      {
        lines: [
          { text: 'Quarry Hill Foods', x: 72, y: 80, size: 16 },
          ...column(72, 110, ['Quarry Hill Foods bakes and sells packaged bread across the Nordic countries.']),
        ],
      },
      {
        lines: [
          { text: 'Results of operations', x: 72, y: 80, size: 16 },
          { text: 'Consolidated statement of operations', x: 72, y: 115 },
          { text: 'Year ended June 30', x: 380, y: 133 },
          ...row(148, '', ['2025', '2024']),
          { text: '(in millions)', x: 72, y: 163 },
          ...row(180, 'Net revenue', ['2,480.0', '2,210.5']),
          ...row(195, 'Cost of goods sold', ['1,390.2', '1,275.0']),
          ...row(210, 'Operating expenses:', []),
          ...row(225, 'Selling, general and administrative', [], 8),
          ...row(237, 'expenses', ['512.7', '480.3'], 16),
          ...row(252, 'Research and development', ['140.0', '118.4'], 8),
          ...row(267, 'Operating income', ['437.1', '336.8']),
          ...row(282, 'Income from equity-method', ['22.5', '18.0']),
          ...row(294, 'investments, net of tax', [], 8),
          ...row(309, 'Net income', ['350.6', '270.2']),
          ...column(72, 350, ['Net revenue rose on higher volumes of rye bread in Finland.']),
        ],
      },
    ],
  };
}
