// Benchmark (a script, not a test): what one log line costs a process. The gateway writes a line
// per request and each service one per call, so under load this is paid hundreds of times a
// second. Writes the gateway's request line through a per-request child logger (as Fastify makes
// one) to /dev/null, with the kit's logger, with pino's own `redact` and the paths the kit gave it
// before (each sensitive field at the top and under one or two wildcards), and with no redaction,
// and prints microseconds per line for each.
//   node bench/log-lines.mjs        (LINES=50000 to change the count)
import { pino } from 'pino';
import { createLogger } from '@portico/kit/logging';

const lines = Number(process.env.LINES ?? 50_000);
const sensitive = ['authorization', 'cookie', 'password', 'temporaryPassword', 'token', 'accessToken', 'refreshToken', 'idToken'];
sensitive.push('secret', 'clientSecret', 'phone', 'email', 'address', 'notes', 'dateOfBirth', 'details');
const wildcardPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'metadata.authorization',
  ...sensitive.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

const destination = pino.destination({ dest: '/dev/null', sync: true });
const common = { base: { service: 'gateway' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (level) => ({ level }) } };
const loggers = {
  'the kit’s logger (one walk over the fields)': createLogger('gateway', 'info', destination),
  'pino redact, wildcard paths (before)': pino({ ...common, redact: { paths: wildcardPaths, censor: '[redacted]' } }, destination),
  'no redaction (the floor)': pino(common, destination),
};

function perLine(logger) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines; i++)
    logger
      .child({ reqId: '2f0c3a52-7f4e-4d0b-9a57-2a4c1e0f9b61' })
      .info({ method: 'GET', route: '/api/v1/patients/:patientId/consents', statusCode: 200, ms: 12 }, 'request completed');
  return Number(process.hrtime.bigint() - start) / 1e3 / lines;
}

console.log(`log lines: ${lines} request lines each, written to /dev/null; median of 5 rounds after one to warm up`);
for (const [name, logger] of Object.entries(loggers)) {
  perLine(logger);
  const rounds = Array.from({ length: 5 }, () => perLine(logger)).sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} ${rounds[2].toFixed(1).padStart(7)} µs per line`);
}
