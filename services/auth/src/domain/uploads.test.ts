import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES, objectKeyFor, validateUpload } from './uploads.js';
import { InvalidInput } from '@portico/kit/domain';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');

function violations(kind: 'logo' | 'handbook', content: Buffer, contentType: string, fileName = '') {
  try {
    validateUpload(kind, { content, contentType, fileName });
  } catch (error) {
    if (error instanceof InvalidInput) return error.violations;
    throw error;
  }
  return [];
}

describe('an upload', () => {
  it('accepts a PNG logo and a PDF handbook whose bytes match their type', () => {
    expect(validateUpload('logo', { content: PNG, contentType: 'Image/PNG', fileName: '' }).contentType).toBe('image/png');
    expect(violations('handbook', PDF, 'application/pdf', 'Client handbook 2026.pdf')).toEqual([]);
  });

  it('refuses a type off the list, bytes that are not what they claim, and files over 10 MiB', () => {
    expect(violations('handbook', PNG, 'image/png')[0]).toMatchObject({ field: 'content_type' });
    expect(violations('logo', PDF, 'image/png')).toEqual([{ field: 'content', message: 'is not a image/png file' }]);
    expect(violations('handbook', Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES)]), 'application/pdf')[0]).toMatchObject({
      message: 'must be at most 10 MiB',
    });
    expect(violations('logo', Buffer.alloc(0), 'image/png')[0]).toMatchObject({ message: 'is empty' });
    expect(violations('handbook', PDF, 'application/pdf', '../../etc/passwd')[0]).toMatchObject({ field: 'file_name' });
  });

  it('accepts a plain SVG drawing and refuses one that could run script', () => {
    const drawing = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>');
    expect(violations('logo', drawing, 'image/svg+xml')).toEqual([]);
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>',
    ])
      expect(violations('logo', Buffer.from(svg), 'image/svg+xml')).toEqual([{ field: 'content', message: 'is not a plain SVG drawing' }]);
  });

  it('keeps each clinic’s files apart, under a new name each time', () => {
    expect(objectKeyFor('clinic/a', 'logo', 'u1', 'image/svg+xml')).toBe('organisations/clinic%2Fa/logo/u1.svg');
  });
});
