import { samplePdf, sampleDocx, sampleExecutable, sampleHeic, sampleHtml, sampleJpeg, samplePng, sampleZip } from '@portico/testing';
import { describe, expect, it } from 'vitest';
import { checkAnnouncedSize, EVERY_ACCEPTED_TYPE, judgeHead, MEGABYTE, PDF, sanitiseFileName } from './files.js';

describe('the type of a file, from its bytes', () => {
  it('accepts a PDF, a JPEG, a PNG, a HEIC photo and a Word document whatever they are called', async () => {
    const verdicts = await Promise.all(
      [await samplePdf(), sampleJpeg(), samplePng(), sampleHeic(), sampleDocx()].map((file) => judgeHead(file, true, EVERY_ACCEPTED_TYPE)),
    );
    expect(verdicts.map((v) => (v.decision === 'accept' ? v.contentType : v.decision))).toEqual([
      'application/pdf',
      'image/jpeg',
      'image/png',
      'image/heic',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]);
  });

  it('refuses an executable, a web page and a plain zip, saying what is accepted', async () => {
    const exe = await judgeHead(sampleExecutable(), true, EVERY_ACCEPTED_TYPE);
    const html = await judgeHead(sampleHtml(), true, EVERY_ACCEPTED_TYPE);
    const zip = await judgeHead(sampleZip(), true, EVERY_ACCEPTED_TYPE);
    expect(exe).toEqual({ decision: 'refuse', violation: { field: 'file', message: expect.stringContaining('is not a PDF, JPEG image') } });
    expect(html).toMatchObject({ decision: 'refuse', violation: { message: expect.stringContaining('could not be recognised') } });
    expect(zip).toEqual({ decision: 'refuse', violation: { field: 'file', message: 'is a zip archive, not a Word document' } });
  });

  it('leaves a zip whose head says nothing yet to the whole file, and takes only PDFs where only PDFs are allowed', async () => {
    expect(await judgeHead(sampleZip(), false, EVERY_ACCEPTED_TYPE)).toMatchObject({ decision: 'check-whole' });
    expect(await judgeHead(sampleJpeg(), true, [PDF])).toMatchObject({ decision: 'refuse', violation: { message: 'is not a PDF' } });
  });
});

describe('the name a file is kept under', () => {
  it('drops any path and control characters and keeps the extension of its real type', () => {
    expect(sanitiseFileName('../../etc/passwd\u0000\u0007 plan.pdf', 'application/pdf')).toBe('passwd plan.pdf');
    expect(sanitiseFileName('C:\\Users\\me\\scan\u202Egpj.exe', 'image/jpeg')).toBe('scangpj.exe.jpg');
    expect(sanitiseFileName('photo.JPEG', 'image/jpeg')).toBe('photo.jpeg');
    expect(sanitiseFileName('...', 'application/pdf')).toBe('file.pdf');
  });

  it('is at most 120 characters, extension included', () => {
    const name = sanitiseFileName(`${'é'.repeat(300)}.pdf`, 'application/pdf');
    expect([...name]).toHaveLength(120);
    expect(name.endsWith('é.pdf')).toBe(true);
  });
});

describe('the size a sender announces', () => {
  it('is refused when empty or above the limit, before any byte is read', () => {
    expect(() => checkAnnouncedSize(0n, 25 * MEGABYTE)).toThrow(/is empty/);
    expect(() => checkAnnouncedSize(BigInt(30 * MEGABYTE), 25 * MEGABYTE)).toThrow(/larger than the limit of 25 MB/);
    expect(checkAnnouncedSize(1234n, 25 * MEGABYTE)).toBe(1234);
  });
});
