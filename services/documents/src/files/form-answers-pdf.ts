// A submitted form's answers as a PDF staff download for the clinical record: the form's title,
// whose answers and when, then each question and its answer, wrapped to the page. Text only, in
// the standard Helvetica fonts, so the text can be searched and read back.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { AnswerLine } from '../domain/forms.js';

const MARGIN = 56;
const SIZE: [number, number] = [612, 792]; // US Letter, points
const WIDTH = SIZE[0] - 2 * MARGIN;

/** Helvetica covers WinAnsi only: anything else (an emoji in an answer) becomes "?" rather than an error. */
const printable = (text: string) => text.replace(/[^\u0020-\u007E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026]/g, '?');

/** Lines of at most the page's width, broken between words (a word longer than a line is cut). */
function wrap(text: string, font: PDFFont, size: number): string[] {
  const lines: string[] = [];
  for (const paragraph of printable(text).split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > WIDTH) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > WIDTH) cut--;
        if (line) lines.push(line);
        lines.push(rest.slice(0, cut));
        line = '';
        rest = rest.slice(cut);
      }
      const next = line ? `${line} ${rest}` : rest;
      if (font.widthOfTextAtSize(next, size) > WIDTH) {
        lines.push(line);
        line = rest;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

export interface FormAnswersPdf {
  title: string;
  /** "Submitted by the patient on …", in the reader's words, decided by the caller. */
  about: string[];
  answers: AnswerLine[];
}

export async function renderFormAnswersPdf(content: FormAnswersPdf): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(content.title));
  doc.setProducer('Portico');
  doc.setCreator('Portico documents');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage(SIZE);
  let y = SIZE[1] - MARGIN;

  const write = (text: string, font: PDFFont, size: number, after = 3) => {
    for (const line of wrap(text, font, size)) {
      if (y - size < MARGIN) {
        page = doc.addPage(SIZE);
        y = SIZE[1] - MARGIN;
      }
      y -= size;
      page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
      y -= after;
    }
  };

  write(content.title, bold, 18, 10);
  for (const line of content.about) write(line, regular, 10);
  y -= 12;
  for (const { question, answer } of content.answers) {
    write(question, bold, 11);
    write(answer, regular, 11);
    y -= 10;
  }
  return doc.save();
}
