// Files the tests upload and then expect back byte for byte: a small real PDF (the handbook) and
// a small real PNG (the logo), made here so the repository carries no binaries.
import { crc32, deflateSync } from 'node:zlib';

/** A one-page PDF with a line of text; `marker` makes each test's handbook distinct. */
export function handbookPdf(marker: string): Buffer {
  const text = `Client handbook ${marker}`.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A 160×48 PNG logo: a teal rounded mark on white with a lighter band, RGB. */
export function logoPng(): Buffer {
  const width = 160;
  const height = 48;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inMark = x >= 4 && x < 44 && y >= 4 && y < 44 && !((x < 8 || x > 39) && (y < 8 || y > 39));
      const cross = inMark && ((x >= 20 && x < 28) || (y >= 20 && y < 28));
      const band = x >= 52 && x < 156 && y >= 18 && y < 30;
      const [r, g, b] = cross ? [255, 255, 255] : inMark ? [10, 98, 93] : band ? [180, 214, 210] : [255, 255, 255];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  return rgbPng(width, height, rows);
}

/** A PNG of RGB `rows` (each starting with its filter byte 0). */
function rgbPng(width: number, height: number, rows: Buffer[]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 120×76 PNG "insurance card" in one colour, RGB: each side of the card is told apart by `rgb`. */
export function cardPng(rgb: [number, number, number]): Buffer {
  const width = 120;
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  return rgbPng(
    width,
    76,
    Array.from({ length: 76 }, () => row),
  );
}
