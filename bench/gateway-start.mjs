// Benchmark (a script, not a test): how long the gateway takes to start, without any server (the
// path `npm run openapi` takes): importing its modules, then building its routes and compiling
// their validators and serializers until it is ready. Every pod start and every test that starts a
// gateway pays this. Prints wall and CPU time of each part, the median of RUNS fresh processes.
//   node bench/gateway-start.mjs        (RUNS=3 to change the count)
import { execFileSync } from 'node:child_process';

const runs = Number(process.env.RUNS ?? 3);
const probe = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const t0 = performance.now();
const { openApiDocument } = await import('./gateway/dist/openapi-document.js');
const t1 = performance.now(), c1 = cpu();
const document = await openApiDocument();
const t2 = performance.now(), c2 = cpu();
console.log(JSON.stringify({ importMs: t1 - t0, importCpuMs: c1, readyMs: t2 - t1, readyCpuMs: c2 - c1, routes: Object.keys(document.paths).length }));
`;
const results = Array.from({ length: runs }, () =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }).trim().split('\n').pop()),
);
const median = (key) => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
console.log(`gateway start: ${results[0].routes} paths, median of ${runs} processes`);
console.log(`  importing its modules     ${median('importMs').toFixed(0).padStart(6)} ms  (CPU ${median('importCpuMs').toFixed(0)} ms)`);
console.log(`  routes built and ready    ${median('readyMs').toFixed(0).padStart(6)} ms  (CPU ${median('readyCpuMs').toFixed(0)} ms)`);
