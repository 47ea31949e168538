// Turns one process's pino JSON lines into `name | LEVEL message key=value` for `make dev`.
// It outlives the process it formats: Ctrl-C reaches it with the rest of the terminal's process
// group, and if it died first the service would be left writing into a broken pipe. So it ignores
// the stop signals and ends when the service closes its output (dev.sh stops the services).
import { createInterface } from 'node:readline';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
// A closed terminal must not stop the draining either: the service would block on a full pipe.
process.stdout.on('error', () => {});

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
