// A plain page layout for billing documents (receipts, statements, superbills) on pdf-lib: a title,
// labelled fields, tables and a signature line, flowing onto new pages as needed. Text only, in the
// standard Helvetica fonts, so a document's text can be read back (and is by the tests).
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

const MARGIN = 50;
const PAGE: [number, number] = [612, 792]; // US Letter, points

/** Helvetica covers WinAnsi only: anything else (an emoji in a name) is replaced, not an error. */
const printable = (text: string) => text.replace(/[^\u0020-\u007E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026]/g, '?');

export class BillingPdf {
  private page!: PDFPage;
  private y = 0;
  private constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  static async create(title: string): Promise<BillingPdf> {
    const doc = await PDFDocument.create();
    doc.setTitle(title);
    doc.setProducer('Portico');
    doc.setCreator('Portico billing');
    const pdf = new BillingPdf(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
    pdf.heading(title, 18);
    return pdf;
  }

  private newPage() {
    this.page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  private room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  private write(text: string, x: number, size: number, font: PDFFont) {
    this.page.drawText(printable(text), { x, y: this.y, size, font, color: rgb(0, 0, 0) });
  }

  heading(text: string, size = 13): this {
    this.room(size + 10);
    this.y -= size;
    this.write(text, MARGIN, size, this.bold);
    this.y -= 8;
    return this;
  }

  text(text: string, size = 10): this {
    this.room(size + 4);
    this.y -= size;
    this.write(text, MARGIN, size, this.regular);
    this.y -= 4;
    return this;
  }

  field(label: string, value: string): this {
    this.room(14);
    this.y -= 10;
    this.write(`${label}:`, MARGIN, 10, this.bold);
    this.write(value, MARGIN + 150, 10, this.regular);
    this.y -= 4;
    return this;
  }

  gap(points = 8): this {
    this.y -= points;
    return this;
  }

  /** Columns at the given x offsets (from the margin); the header row in bold. */
  table(columns: { header: string; x: number }[], rows: string[][]): this {
    const row = (cells: string[], font: PDFFont) => {
      this.room(14);
      this.y -= 9;
      cells.forEach((cell, i) => this.write(cell, MARGIN + columns[i]!.x, 9, font));
      this.y -= 4;
    };
    row(
      columns.map((c) => c.header),
      this.bold,
    );
    for (const cells of rows) row(cells, this.regular);
    return this.gap();
  }

  signatureLine(label: string): this {
    this.room(50);
    this.y -= 36;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + 250, y: this.y }, thickness: 0.7, color: rgb(0, 0, 0) });
    this.y -= 12;
    this.write(label, MARGIN, 9, this.regular);
    return this;
  }

  async bytes(): Promise<Uint8Array> {
    return this.doc.save();
  }
}
