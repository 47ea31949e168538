// Benchmark (a script, not a test): what the platform costs when nobody uses it. Starts every
// service and the gateway as their images run them (OpenTelemetry loaded first), connected to the
// real Kafka, database and Keycloak, lets them settle, then reads each process's CPU time from
// /proc over a quiet window and prints it as a share of one core, with the total. On a small
// machine an idle cost is taken from every request: this is the figure to watch when a library
// keeps timers or polls.
//   node bench/idle.mjs        (SETTLE=5 DURATION=20 to change the windows, in seconds)
import { randomUUID } from 'node:crypto';
import {
  backendAddresses,
  baseEnvironment,
  cpuSecondsOf,
  dropDatabases,
  serviceEnvironment,
  serviceNames,
  serviceNodeArgs,
  spawnService,
} from '@portico/testing';

const settleS = Number(process.env.SETTLE ?? 5);
const durationS = Number(process.env.DURATION ?? 20);

const dbName = `bench_idle_${randomUUID().slice(0, 8)}`;
const options = { ignoreLogsOnceReady: true, nodeArgs: serviceNodeArgs() };
const quiet = { LOG_LEVEL: 'warn' };
const started = {};
const auth = await spawnService('services/auth/dist/main.js', { ...serviceEnvironment('auth', `${dbName}_auth`), ...quiet }, options);
started.auth = auth;
for (const name of serviceNames().filter((n) => n !== 'auth')) {
  started[name] = await spawnService(
    `services/${name}/dist/main.js`,
    { ...serviceEnvironment(name, `${dbName}_${name}`), ...quiet, AUTH_GRPC_URL: `127.0.0.1:${auth.grpcPort}` },
    options,
  );
}
const gatewayPort = 18000 + Math.floor(Math.random() * 1000);
started.gateway = await spawnService(
  'gateway/dist/main.js',
  {
    ...baseEnvironment(dbName),
    ...quiet,
    HTTP_PORT: String(gatewayPort),
    ...backendAddresses(Object.fromEntries(Object.entries(started).map(([name, service]) => [name, `127.0.0.1:${service.grpcPort}`]))),
  },
  { readyUrl: `http://127.0.0.1:${gatewayPort}/readyz`, ...options },
);

try {
  await new Promise((resolve) => setTimeout(resolve, settleS * 1000));
  const before = Object.fromEntries(Object.entries(started).map(([name, s]) => [name, cpuSecondsOf(s.child.pid)]));
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let total = 0;
  console.log(`Idle CPU over ${durationS} s, share of one core (after ${settleS} s to settle):`);
  for (const [name, s] of Object.entries(started)) {
    const share = (cpuSecondsOf(s.child.pid) - before[name]) / seconds;
    total += share;
    console.log(`  ${name.padEnd(14)} ${(share * 100).toFixed(1).padStart(5)} %`);
  }
  console.log(`  ${'all'.padEnd(14)} ${(total * 100).toFixed(1).padStart(5)} %`);
} finally {
  await Promise.all(Object.values(started).map((s) => s.kill()));
  await dropDatabases(dbName);
}
