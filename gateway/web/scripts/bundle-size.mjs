// Prints what the browser downloads, after `vite build`: each JavaScript chunk's raw and gzip
// size, and the initial JavaScript (the entry and every chunk it imports statically, which the
// browser needs before the first page shows). Fails when the initial JavaScript is over budget,
// so the first page of the portal stays quick on a phone. Reads dist/.vite/manifest.json.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetKiB = Number(process.env.PORTICO_INITIAL_JS_BUDGET_KB ?? 200);
const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

const sizes = new Map();
function sizeOf(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(join(dist, file));
    sizes.set(file, { raw: statSync(join(dist, file)).size, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizes.get(file);
}

/** The chunk files `keys` import statically, themselves included. */
function closure(keys, seen = new Set()) {
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) continue;
    seen.add(chunk.file);
    closure(chunk.imports ?? [], seen);
  }
  return seen;
}

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const initial = closure(entries);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(10);
const chunks = Object.values(manifest)
  .map((chunk) => chunk.file)
  .filter((file, index, all) => file.endsWith('.js') && all.indexOf(file) === index)
  .sort((a, b) => sizeOf(b).raw - sizeOf(a).raw);

console.log(`${'chunk'.padEnd(44)}${'raw'.padStart(10)}${'gzip'.padStart(10)}  loaded`);
for (const file of chunks) {
  const { raw, gzip } = sizeOf(file);
  console.log(`${file.padEnd(44)}${kib(raw)}${kib(gzip)}  ${initial.has(file) ? 'initially' : 'when its page opens'}`);
}
const total = [...initial].reduce((sum, file) => ({ raw: sum.raw + sizeOf(file).raw, gzip: sum.gzip + sizeOf(file).gzip }), {
  raw: 0,
  gzip: 0,
});
console.log(`${'initial JavaScript'.padEnd(44)}${kib(total.raw)}${kib(total.gzip)}  budget ${budgetKiB} KiB gzip`);
if (total.gzip > budgetKiB * 1024) {
  console.error(`The initial JavaScript is ${(total.gzip / 1024).toFixed(1)} KiB gzip, over the budget of ${budgetKiB} KiB.`);
  process.exit(1);
}
