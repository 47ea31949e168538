import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { lines, stream };
}

describe('logs', () => {
  it('never carry credentials, cookies or a patient’s personal details', () => {
    const { lines, stream } = capture();
    const logger = createLogger('test', 'info', stream as never);
    logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: '__Host-sid=s3cr3t' } } }, 'request');
    logger.info({ contact: { phone: '+14155552671', email: 'maria@example.org', notes: 'takes lithium' }, password: 'hunter22' }, 'change');
    logger.info({ event: { details: { name: 'Maria', address: { line1: '1 Main' } } } }, 'nested');
    const text = lines.join('');
    for (const secret of ['abc.def.ghi', 's3cr3t', '+14155552671', 'maria@example.org', 'lithium', 'hunter22', '1 Main'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', service: 'test', msg: 'request' });
  });
});
