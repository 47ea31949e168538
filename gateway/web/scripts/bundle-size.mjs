// Prints what the browser downloads, after `vite build`: each JavaScript chunk's raw and gzip
// size, and the initial JavaScript: what index.html asks for before the first page shows (the
// entry script and the chunks Vite preloads for it, i.e. everything the entry imports
// statically). Fails when the initial JavaScript is over budget, so the first page of the portal
// stays quick on a phone. The areas' chunks load when their page opens.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetKiB = Number(process.env.PORTICO_INITIAL_JS_BUDGET_KB ?? 200);
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((match) => match[1]),
);
if (initial.size === 0) throw new Error('dist/index.html loads no script: is this a build of the web app?');

const sizeOf = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const chunks = readdirSync(join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => ({ file: `assets/${name}`, ...sizeOf(`assets/${name}`) }))
  .sort((a, b) => b.raw - a.raw);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
console.log(`${'chunk'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}  loaded`);
for (const { file, raw, gzip } of chunks) {
  console.log(`${file.padEnd(44)}${kib(raw)}${kib(gzip)}  ${initial.has(file) ? 'initially' : 'when its page opens'}`);
}
const first = chunks.filter((chunk) => initial.has(chunk.file));
const total = { raw: first.reduce((sum, c) => sum + c.raw, 0), gzip: first.reduce((sum, c) => sum + c.gzip, 0) };
console.log(`${'initial JavaScript'.padEnd(44)}${kib(total.raw)}${kib(total.gzip)}  budget ${budgetKiB} KiB gzip`);
if (total.gzip > budgetKiB * 1024) {
  console.error(`The initial JavaScript is ${(total.gzip / 1024).toFixed(1)} KiB gzip, over the budget of ${budgetKiB} KiB.`);
  process.exit(1);
}
