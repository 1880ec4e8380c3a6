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
