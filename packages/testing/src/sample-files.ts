// Files as a patient's device or a clinic's computer would send them, made by libraries that
// write the real formats (pdf-lib, fflate), and files that only pretend to be one: what the
// documents service must accept and what it must refuse.
import { zipSync, strToU8 } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page PDF saying `text`, padded (in a PDF comment after its end) to at least `size` bytes. */
export async function samplePdf(text = 'Treatment plan', size = 0): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 18, font: await pdf.embedFont(StandardFonts.Helvetica) });
  const bytes = Buffer.from(await pdf.save());
  return bytes.length >= size ? bytes : Buffer.concat([bytes, Buffer.from('\n%'), Buffer.alloc(size - bytes.length - 2, 0x20)]);
}

/** The smallest JPEG a camera could have written: a JFIF header, one grey 8×8 block, the end marker, padded to `size`. */
export function sampleJpeg(size = 48 * 1024): Buffer {
  const header = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
  const body = Buffer.alloc(Math.max(0, size - header.length - 2), 0x11);
  return Buffer.concat([header, body, Buffer.from('ffd9', 'hex')]);
}

export function samplePng(): Buffer {
  // A 1×1 transparent pixel.
  return Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
    'hex',
  );
}

/** A Word document: a zip whose [Content_Types].xml names the word-processing main part. */
export function sampleDocx(padding = 0): Buffer {
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
      'word/document.xml': strToU8(`<?xml version="1.0"?><w:document xmlns:w="w">${'<w:p/>'.repeat(padding)}</w:document>`),
    }),
  );
}

/** A plain zip archive (holiday photos, not a document), as someone might rename it .docx. */
export function sampleZip(): Buffer {
  return Buffer.from(zipSync({ 'notes.txt': strToU8('not a word document'), 'photos/readme.txt': strToU8('nothing here') }));
}

/** A Windows executable's first bytes (MZ header with a PE signature), as if renamed .pdf. */
export function sampleExecutable(): Buffer {
  const file = Buffer.alloc(4096, 0);
  file.write('MZ', 0, 'latin1');
  file.writeUInt32LE(0x80, 0x3c);
  file.write('PE\0\0', 0x80, 'latin1');
  return file;
}

/** A web page, as if renamed .png. */
export function sampleHtml(): Buffer {
  return Buffer.from('<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>');
}

/** An iPhone photo's first box (ftyp, brand heic), padded: HEIC is what phones send by default. */
export function sampleHeic(size = 4096): Buffer {
  const ftyp = Buffer.from('00000018' + '66747970' + '68656963' + '00000000' + '6d696631' + '68656963', 'hex');
  return Buffer.concat([ftyp, Buffer.alloc(size - ftyp.length, 0)]);
}
