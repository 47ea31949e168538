// Benchmark (a script, not a test): a 20 MB upload through the whole path — browser-like HTTP
// client → gateway → client-streaming gRPC → documents service → one streamed PUT to the object
// store — against a direct PUT of the same bytes to the object store, in the same run. Prints the
// throughput of each (median of RUNS, alternating), their ratio, and the peak growth of the
// resident memory (RSS) of the gateway and of the documents service while the uploads go through
// (sampled every few milliseconds from /proc), against the targets: ratio ≥ 80 %, growth < 64 MB.
// Also the CPU time each process spends per upload (from /proc): on a machine whose cores are
// shared, the throughput follows how much CPU the whole path needs, so this says where it goes.
// The services run as their images run them, OpenTelemetry loaded first (SERVICE_NODE_ARGS='' without).
//   node bench/upload.mjs        (SIZE_MB=20 RUNS=5 to change it)
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createLogger } from '@portico/kit/logging';
import { ObjectStore } from '@portico/kit/objects';
import {
  backendAddresses,
  baseEnvironment,
  cpuSecondsOf,
  createUser,
  deleteUser,
  dropDatabases,
  passwordGrant,
  serviceEnvironment,
  serviceNodeArgs,
  spawnService,
} from '@portico/testing';

const sizeMb = Number(process.env.SIZE_MB ?? 20);
const runs = Number(process.env.RUNS ?? 5);
const size = sizeMb * 1024 * 1024;
const targets = { ratio: 0.8, growthMb: 64 };
const CHUNK = 64 * 1024;

/** A PDF's first bytes, then random bytes: what the service reads as a PDF, and nothing compresses. */
const file = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), randomBytes(size - 15)]);
/** The file as a stream of 64 KiB chunks, as a socket would hand it over. */
const chunks = () =>
  Readable.from(
    (function* () {
      for (let at = 0; at < file.length; at += CHUNK) yield file.subarray(at, at + CHUNK);
    })(),
  );

/** The object store's process when it runs on this machine (SeaweedFS, `weed`), for its CPU time. */
const storePid = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .find((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return /(^|\/)weed$/.test(command[0] ?? '') && command.some((arg) => arg.startsWith('-s3') || arg === 's3' || arg === 'server');
      } catch {
        return false;
      }
    });

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** Samples the processes' RSS while `work` runs: the peak above what each held just before. */
async function peakGrowth(pids, work) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssOf(pid)]));
  const peak = { ...before };
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name], rssOf(pid));
  }, 5);
  try {
    const result = await work();
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name], rssOf(pid));
    return { result, growth: Object.fromEntries(Object.keys(pids).map((name) => [name, peak[name] - before[name]])) };
  } finally {
    clearInterval(timer);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mbps = (seconds) => size / (1024 * 1024) / seconds;
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(1);

const run = randomUUID().slice(0, 8);
const dbName = `bench_documents_${run}`;
const clinicId = `bench-${run}`;
const patient = await createUser({ roles: ['patient'], clinicId });
const quiet = { LOG_LEVEL: 'warn' };
const nodeArgs = serviceNodeArgs();
/** What was started, stopped again even when a later start fails (a loaded machine, a slow start). */
const started = [];
const stopEverything = async () => {
  for (const service of started.reverse()) await service.kill();
  await dropDatabases(dbName);
  await deleteUser(patient);
};
process.on('uncaughtException', async (error) => {
  console.error(error);
  await stopEverything();
  process.exit(1);
});
const auth = await spawnService('services/auth/dist/main.js', { ...serviceEnvironment('auth', `${dbName}_auth`), ...quiet });
started.push(auth);
const documents = await spawnService(
  'services/documents/dist/main.js',
  {
    ...serviceEnvironment('documents', dbName),
    ...quiet,
    AUTH_GRPC_URL: `127.0.0.1:${auth.grpcPort}`,
    S3_BUCKET: 'portico-documents-bench',
  },
  { nodeArgs },
);
started.push(documents);
const gatewayPort = 18000 + Math.floor(Math.random() * 1000);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const gateway = await spawnService(
  'gateway/dist/main.js',
  {
    ...baseEnvironment(dbName),
    ...quiet,
    HTTP_PORT: String(gatewayPort),
    ...backendAddresses({ documents: `127.0.0.1:${documents.grpcPort}`, auth: `127.0.0.1:${auth.grpcPort}` }),
    RATE_LIMIT_PER_MINUTE: '100000000',
  },
  { readyUrl: `${gatewayUrl}/readyz`, nodeArgs },
);
started.push(gateway);
const environment = serviceEnvironment('documents', dbName);
const store = new ObjectStore({
  endpoint: environment.S3_ENDPOINT,
  accessKey: environment.S3_ACCESS_KEY,
  secretKey: environment.S3_SECRET_KEY,
  region: environment.S3_REGION,
  bucket: 'portico-documents-bench',
  logger: createLogger('bench', 'silent'),
});
await store.ensureBucket();

function uploadThroughGateway(token) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${gatewayUrl}/api/v1/patients/${patient.id}/uploads`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(file.length),
          'x-file-name': 'bench.pdf',
        },
      },
      (res) => {
        const body = [];
        res.on('data', (c) => body.push(c));
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode} ${Buffer.concat(body)}`))));
      },
    );
    req.on('error', reject);
    pipeline(chunks(), req).catch(reject);
  });
}

const timed = async (work) => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

/** The CPU seconds each process spent while `work` ran, added into `into`. */
async function cpuDuring(pids, into, work) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const result = await work();
  for (const [name, pid] of Object.entries(pids)) into[name] = (into[name] ?? 0) + cpuSecondsOf(pid) - before[name];
  return result;
}

try {
  const token = await passwordGrant(patient);
  const pids = { gateway: gateway.child.pid, documents: documents.child.pid };
  // Warm-up: connections, JIT, the patient directory's first look-up.
  await uploadThroughGateway(token);
  await store.putStream(`bench/${run}/warm`, chunks(), file.length, 'application/pdf');

  const seconds = { gateway: [], direct: [] };
  const growth = { gateway: 0, documents: 0 };
  const storeProcess = storePid();
  const cpuPids = { bench: process.pid, ...pids, ...(storeProcess ? { 'object store': Number(storeProcess) } : {}) };
  const cpu = { gateway: {}, direct: {} };
  for (let i = 0; i < runs; i++) {
    const measured = await peakGrowth(pids, () => cpuDuring(cpuPids, cpu.gateway, () => timed(() => uploadThroughGateway(token))));
    seconds.gateway.push(measured.result);
    growth.gateway = Math.max(growth.gateway, measured.growth.gateway);
    growth.documents = Math.max(growth.documents, measured.growth.documents);
    // Sampled the same way, so both sides pay for the sampling.
    const direct = await peakGrowth(pids, () =>
      cpuDuring(cpuPids, cpu.direct, () =>
        timed(() => store.putStream(`bench/${run}/direct-${i}`, chunks(), file.length, 'application/pdf')),
      ),
    );
    seconds.direct.push(direct.result);
  }
  const throughput = { gateway: mbps(median(seconds.gateway)), direct: mbps(median(seconds.direct)) };
  const ratio = throughput.gateway / throughput.direct;
  const verdict = (ok) => (ok ? 'meets the target' : 'MISSES the target');
  console.log(`upload: ${sizeMb} MB, median of ${runs} runs each, alternating; object store at ${environment.S3_ENDPOINT}`);
  console.log(`through the gateway and the documents service: ${throughput.gateway.toFixed(1)} MB/s`);
  console.log(`direct PUT to the object store:                ${throughput.direct.toFixed(1)} MB/s`);
  console.log(`ratio: ${(ratio * 100).toFixed(0)}% (target ≥ ${targets.ratio * 100}%: ${verdict(ratio >= targets.ratio)})`);
  for (const name of ['gateway', 'documents'])
    console.log(
      `peak RSS growth of the ${name.padEnd(9)} during an upload: ${mb(growth[name]).padStart(6)} MB (target < ${targets.growthMb} MB: ${verdict(growth[name] < targets.growthMb * 1024 * 1024)})`,
    );
  const perUpload = (side) => Object.entries(cpu[side]).map(([name, total]) => `${name} ${(total / runs).toFixed(2)}`);
  console.log(`CPU seconds per upload, through the gateway: ${perUpload('gateway').join(', ')}`);
  console.log(`CPU seconds per upload, direct PUT:          ${perUpload('direct').join(', ')}`);
  // With every process of the path sharing this machine's cores, an upload takes at least the CPU
  // the whole path spends divided by the cores: the best ratio that CPU allows, and what the two
  // hops could spend together for the target, the rest of the path as measured.
  const cores = availableParallelism();
  const cpuPerUpload = (side) => Object.values(cpu[side]).reduce((sum, total) => sum + total, 0) / runs;
  const directSeconds = median(seconds.direct);
  const hops = ((cpu.gateway.gateway ?? 0) + (cpu.gateway.documents ?? 0)) / runs;
  const rest = cpuPerUpload('gateway') - hops;
  console.log(
    `on ${cores} cores the path's CPU allows at most ${((directSeconds / (cpuPerUpload('gateway') / cores)) * 100).toFixed(0)}%; ` +
      `the target needs the gateway and the documents service at ${Math.max(0, (directSeconds / targets.ratio) * cores - rest).toFixed(2)} CPU-s per upload together (now ${hops.toFixed(2)})`,
  );
  console.log(
    `load average at the end (other work on this machine): ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL(`./results/upload-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url),
    JSON.stringify({ sizeMb, runs, seconds, throughput, ratio, growthBytes: growth, cpuSeconds: cpu }, null, 2),
  );
} finally {
  for (const key of await store.keys(`bench/${run}/`)) await store.remove(key);
  for (const key of await store.keys(`clinics/${clinicId}/`)) await store.remove(key);
  await stopEverything();
}
