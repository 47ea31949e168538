// Structured JSON logs (pino) with the active trace id on every line, and redaction of what must
// never reach a log: credentials, cookies, and patients' personal or health details.
import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Fields that hold secrets or personal/health data wherever they appear (two levels deep). */
const SENSITIVE_FIELDS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'temporaryPassword',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'clientSecret',
  'phone',
  'email',
  'address',
  'notes',
  'dateOfBirth',
  'details',
]);
const CENSOR = '[redacted]';
/** A log line's own fields, their fields, and theirs: as deep as a sensitive field is looked for. */
const LEVELS_BELOW = 2;

/**
 * A shallow copy; an error stays an error for its serializer, its message, cause and stack kept
 * (V8's stack is an accessor that reads the error it was made on, so its text is copied).
 */
function copyOf(value: Record<string, unknown>): Record<string, unknown> {
  if (!(value instanceof Error)) return { ...value };
  const copy = Object.create(Object.getPrototypeOf(value), Object.getOwnPropertyDescriptors(value)) as Error;
  return Object.defineProperty(copy, 'stack', { value: value.stack, writable: true, configurable: true }) as never;
}

/**
 * `value` with every sensitive field censored, on its own level and up to `levelsBelow` levels
 * under it (array items count as a level, as a path's `*` matched them). The caller's objects are
 * never changed: what holds a sensitive field is copied, everything else is shared.
 *
 * One walk over the line's fields, where pino's `redact` (@pinojs/redact) parsed each of its 53
 * paths again for every field of every line: 83 µs a request line then, 10 µs now (bench/log-lines.mjs;
 * the redaction alone was about a twelfth of the gateway's busy time under load).
 */
export function redacted<T>(value: T, levelsBelow = LEVELS_BELOW): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (levelsBelow === 0) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const kept = redacted(item, levelsBelow - 1);
      if (kept !== item) (copy ??= value.slice())[i] = kept;
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const kept = SENSITIVE_FIELDS.has(key) ? CENSOR : levelsBelow > 0 ? redacted(field, levelsBelow - 1) : field;
    if (kept !== field) (copy ??= copyOf(value as Record<string, unknown>))[key] = kept;
  }
  return (copy ?? value) as T;
}

export function createLogger(service: string, level: string = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => redacted(fields),
    },
    // An error is turned into fields after the line's fields were walked: its own fields (an
    // invalid input's details) are walked then, as a field of the line.
    serializers: { err: (error: Error) => redacted(pino.stdSerializers.err(error), LEVELS_BELOW - 1) },
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // A child logger's bindings are written on each of its lines but never pass the line formatter
  // (pino gives children no bindings formatter): they are walked once, when the child is made.
  // Children are made from their parent's prototype, so theirs' children are walked too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redacted(bindings), childOptions);
  } as typeof child;
  return logger;
}
