// Turns one process's pino JSON lines into `name | LEVEL message key=value` for `make dev`.
import { createInterface } from 'node:readline';

const name = (process.argv[2] ?? '?').padEnd(9);
const skip = new Set(['level', 'time', 'msg', 'service', 'name', 'pid', 'hostname']);
for await (const line of createInterface({ input: process.stdin })) {
  try {
    const entry = JSON.parse(line);
    const extra = Object.entries(entry)
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
      .join(' ');
    process.stdout.write(
      `${name}| ${String(entry.level ?? '')
        .toUpperCase()
        .padEnd(5)} ${entry.msg ?? ''}${extra ? `  ${extra}` : ''}\n`,
    );
  } catch {
    process.stdout.write(`${name}| ${line}\n`);
  }
}
