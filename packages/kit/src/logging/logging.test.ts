import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redacted } from './index.js';

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

  it('censor array items, an error’s own fields and a child logger’s bindings, two levels down and no deeper', () => {
    const { lines, stream } = capture();
    const logger = createLogger('test', 'info', stream as never);
    const invalid = Object.assign(new Error('invalid input'), { details: [{ field: 'email', message: 'maria@example.org is taken' }] });
    logger.error({ err: invalid }, 'refused');
    logger.child({ token: 'eyJ.secret.sig' }).info({ rows: [{ phone: '+14155552671' }] }, 'listed');
    logger.info({ a: { b: { c: { phone: 'deeper than the rule' } } } }, 'deep');
    const [error, listed, deep] = lines.map((line) => JSON.parse(line));
    expect(error.err).toMatchObject({ type: 'Error', message: 'invalid input', details: '[redacted]' });
    expect(error.err.stack).toContain('invalid input');
    expect(listed).toMatchObject({ token: '[redacted]', rows: [{ phone: '[redacted]' }] });
    // Three levels under the line is beyond the rule (as pino's `*.*.field` paths were).
    expect(deep.a.b.c.phone).toBe('deeper than the rule');
    // The objects the caller logged are left as they were.
    expect(invalid.details[0]!.message).toContain('maria@example.org');
  });

  it('leave a line without sensitive fields as it was given', () => {
    const line = { method: 'GET', route: '/api/v1/me', statusCode: 200, nested: { list: [1, 2] } };
    expect(redacted(line)).toBe(line);
    expect(redacted({ ...line, password: 'x' })).toEqual({ ...line, password: '[redacted]' });
  });
});
