// The signed consent as a PDF: the consent text exactly as signed, the signature (the drawing when
// there is one, and the typed name), and a certificate page with the signature's evidence. Text
// only in the standard Helvetica fonts, so anyone (and the tests) can read the certificate back.
import { certificateFields, type SignatureEvidence } from '@portico/kit/signatures';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

const MARGIN = 56;
const PAGE: [number, number] = [612, 792]; // US Letter, points
const BODY = 11;
const LEADING = 15;

export interface SignedConsentContent {
  clinicName: string;
  clinicTimeZone: string;
  title: string;
  templateId: string;
  templateVersion: number;
  text: string;
  typedName: string;
  imagePng: Uint8Array | null;
  evidence: SignatureEvidence;
}

/** Draws paragraphs that wrap at the margin and flow onto new pages. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  newPage() {
    this.page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  private room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  private readonly characters = new Map<PDFFont, Set<number>>();

  /** What Helvetica (WinAnsi) cannot draw becomes "?", so a name in another script never fails the PDF. */
  private printable(font: PDFFont, text: string) {
    let known = this.characters.get(font);
    if (!known) this.characters.set(font, (known = new Set(font.getCharacterSet())));
    return [...text.replace(/[\t\r]/g, ' ')].map((c) => (known.has(c.codePointAt(0)!) ? c : '?')).join('');
  }

  paragraph(text: string, options: { size?: number; bold?: boolean; indent?: number } = {}) {
    const size = options.size ?? BODY;
    const font = options.bold ? this.bold : this.regular;
    const x = MARGIN + (options.indent ?? 0);
    const width = PAGE[0] - MARGIN - x;
    for (const line of this.wrap(this.printable(font, text), font, size, width)) {
      this.room(LEADING);
      this.y -= size + (LEADING - size);
      this.page.drawText(line, { x, y: this.y, size, font, color: rgb(0, 0, 0) });
    }
    this.y -= 6;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || line === '') {
        // A single word wider than the line (a long hash) is cut where it overflows.
        if (font.widthOfTextAtSize(candidate, size) > width && line === '') {
          let rest = candidate;
          while (font.widthOfTextAtSize(rest, size) > width) {
            let cut = rest.length;
            while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
            lines.push(rest.slice(0, cut));
            rest = rest.slice(cut);
          }
          line = rest;
        } else line = candidate;
      } else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  async image(png: Uint8Array) {
    const image = await this.doc.embedPng(png);
    const scale = Math.min(1, 240 / image.width, 90 / image.height);
    const height = image.height * scale;
    this.room(height + 8);
    this.y -= height;
    this.page.drawImage(image, { x: MARGIN, y: this.y, width: image.width * scale, height });
    this.y -= 8;
  }

  line() {
    this.room(12);
    this.y -= 4;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE[0] - MARGIN, y: this.y }, thickness: 0.6, color: rgb(0, 0, 0) });
    this.y -= 8;
  }
}

/** The PDF's bytes. Dates inside the file are the signing time, so the same signature renders the same bytes. */
export async function renderSignedConsent(content: SignedConsentContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const signedAt = new Date(content.evidence.signedAt);
  doc.setTitle(`${content.title} (signed)`);
  doc.setProducer('Portico');
  doc.setCreator('Portico documents');
  doc.setCreationDate(signedAt);
  doc.setModificationDate(signedAt);
  const writer = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));

  writer.newPage();
  writer.paragraph(content.clinicName, { size: 10 });
  writer.paragraph(content.title, { size: 18, bold: true });
  writer.paragraph(`Version ${content.templateVersion} of ${content.templateId}`, { size: 9 });
  writer.line();
  for (const paragraph of content.text.split(/\n{2,}/)) writer.paragraph(paragraph.replace(/\n/g, ' '));
  writer.line();
  writer.paragraph('Signature', { bold: true });
  if (content.imagePng) await writer.image(content.imagePng);
  else writer.paragraph('Signed with the typed full name alone (no drawing).', { size: 9 });
  writer.paragraph(`Typed full name: ${content.typedName}`);
  writer.paragraph(`Signed electronically on ${content.evidence.signedAt}`, { size: 9 });

  writer.newPage();
  writer.paragraph('Certificate of electronic signature', { size: 16, bold: true });
  writer.paragraph(
    'Recorded by Portico when the consent above was signed. The SHA-256 identifies the exact consent text signed; ' +
      'the clinic can check that this PDF is unchanged with Portico’s verification.',
    { size: 9 },
  );
  writer.line();
  for (const field of certificateFields(content.evidence, content.clinicTimeZone)) {
    writer.paragraph(`${field.label}:`, { bold: true, size: 10 });
    writer.paragraph(field.value, { size: 10, indent: 12 });
  }
  return doc.save({ useObjectStreams: false });
}
