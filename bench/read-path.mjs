// Benchmark (a script, not a test): what each hop of the read path costs, in one run at one fixed
// concurrency against the real servers. From the floor up:
//   raw find      the MongoDB driver's find on the contacts collection, as the service queries it
//   gRPC          ListContacts called directly on the contacts service (token check, audit, find)
//   gateway       GET /api/v1/patients/{id}/contacts (session-less, bearer token)
//   Home          what the web app's Home page asks for at once: the organisation, the profile
//                 (/api/v1/me), the next appointments (Home's card) and the consents (the menu's
//                 badge) — and each of the four alone, to see which one costs the most
// Prints requests per second, p50 and p99 for each and the ratios against the targets.
// The services run as their images run them, OpenTelemetry loaded first (SERVICE_NODE_ARGS='' without).
//   make bench            (CONCURRENCY=50 DURATION=10 WARMUP=2 make bench to change the load;
//                          ROWS=reading,home to measure only some rows: floor, grpc, gateway,
//                          alone, reading, home)
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import mongoose from 'mongoose';
import { ContactsService, ContactPurpose } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import {
  backendAddresses,
  baseEnvironment,
  createUser,
  deleteUser,
  dropDatabases,
  env,
  passwordGrant,
  serviceEnvironment,
  serviceNodeArgs,
  spawnService,
} from '@portico/testing';

const concurrency = Number(process.env.CONCURRENCY ?? 50);
const duration = Number(process.env.DURATION ?? 10);
const warmup = Number(process.env.WARMUP ?? 2);
// People read a page before the next click: each user of the second Home row waits on average
// this long (uniformly 0.5–1.5 times it) after each Home load.
const thinkMs = Number(process.env.THINK_MS ?? 1000);
const settleMs = Number(process.env.SETTLE_MS ?? 5000);
const contactsPerPatient = 10;
/** The rows to measure (all by default): a change to one hop is measured again in seconds. */
const rows = new Set(process.env.ROWS?.split(',').map((row) => row.trim()) ?? ['floor', 'grpc', 'gateway', 'alone', 'reading', 'home']);
const targets = { grpcOfRaw: 0.5, gatewayOfGrpc: 0.8, homeP99Ms: 100 };
const HOME = 'Home page load (4 calls at once)';
const HOME_PEOPLE = `  the same, users reading ~${(Number(process.env.THINK_MS ?? 1000) / 1000).toFixed(1)} s`;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Fixed-concurrency closed loop: `concurrency` callers, each calling again as soon as answered —
 * or, with `thinkMs`, after reading the answer that long, as people using the portal would. One
 * continuous run: the warm-up's calls are not counted, and the measured seconds follow on without
 * a restart. People reading do not all click in the same millisecond: each first waits a random
 * part of a reading time, as in a steady state (all fifty starting at once measured that burst,
 * 200 requests in one instant, rather than the portal in use).
 */
async function load(call, thinkMs = 0) {
  let firstError;
  let errors = 0;
  const latencies = [];
  // What the previous row left behind settles first: the audit events its reads recorded are
  // still being relayed to Kafka for a few seconds, and would weigh on this row's figures.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const measuredFrom = Date.now() + warmup * 1000;
  const end = measuredFrom + duration * 1000;
  const think = () => new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
  const failed = (error) => {
    errors++;
    firstError ??= error instanceof Error ? error.message.slice(0, 120) : String(error);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      if (thinkMs) await new Promise((resolve) => setTimeout(resolve, thinkMs * 1.5 * Math.random()));
      while (Date.now() < end) {
        const counted = Date.now() >= measuredFrom;
        const start = process.hrtime.bigint();
        try {
          await call(counted);
          if (counted) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        } catch (error) {
          if (counted) failed(error);
        }
        if (thinkMs) await think();
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  // Failed calls are not in the figures: with any, the row says so (and what the first one was).
  return { rps: latencies.length / duration, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, firstError };
}

// Keep-alive connections, as a browser or a load balancer would hold them: enough for each user's
// four Home calls at once (a browser opens up to six per site), so no call waits for another's.
const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 4 });
function get(url, token) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const dbName = `bench_contacts_${randomUUID().slice(0, 8)}`;
const clinicId = `bench-${randomUUID().slice(0, 8)}`;
const patient = await createUser({ roles: ['patient'], clinicId });
const staff = await createUser({ roles: ['staff'], clinicId });
const quiet = { LOG_LEVEL: 'warn' };
// Services log each request as in production; this process does not read those lines once they serve.
const unread = { ignoreLogsOnceReady: true, nodeArgs: serviceNodeArgs() };
// The auth service first: the contacts service's patient directory asks it (AUTH_GRPC_URL).
const auth = await spawnService('services/auth/dist/main.js', { ...serviceEnvironment('auth', `${dbName}_auth`), ...quiet }, unread);
const besideAuth = (name) =>
  spawnService(
    `services/${name}/dist/main.js`,
    {
      ...serviceEnvironment(name, name === 'contacts' ? dbName : `${dbName}_${name}`),
      ...quiet,
      AUTH_GRPC_URL: `127.0.0.1:${auth.grpcPort}`,
    },
    unread,
  );
const [contacts, appointments, documents] = await Promise.all(['contacts', 'appointments', 'documents'].map(besideAuth));
const gatewayPort = 18000 + Math.floor(Math.random() * 1000);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const gateway = await spawnService(
  'gateway/dist/main.js',
  {
    ...baseEnvironment(dbName),
    ...quiet,
    HTTP_PORT: String(gatewayPort),
    // The services of the read path; the others (the access history) are not started.
    ...backendAddresses({
      contacts: `127.0.0.1:${contacts.grpcPort}`,
      auth: `127.0.0.1:${auth.grpcPort}`,
      appointments: `127.0.0.1:${appointments.grpcPort}`,
      documents: `127.0.0.1:${documents.grpcPort}`,
    }),
    RATE_LIMIT_PER_MINUTE: '100000000',
  },
  { readyUrl: `${gatewayUrl}/readyz`, ...unread },
);
const raw = await mongoose.mongo.MongoClient.connect(env.mongoUrl, { maxPoolSize: concurrency });
const client = connectService(ContactsService, `127.0.0.1:${contacts.grpcPort}`);
try {
  const token = await passwordGrant(patient);
  const staffToken = await passwordGrant(staff);
  const organisation = await fetch(`${gatewayUrl}/api/v1/staff/organisation`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench clinic', portalUrl: gatewayUrl, welcomeMessage: 'Welcome.', timeZone: 'UTC' }),
  });
  if (!organisation.ok) throw new Error(`organisation: HTTP ${organisation.status} ${await organisation.text()}`);
  for (let i = 0; i < contactsPerPatient; i++) {
    await client.addContact(
      {
        patientId: patient.id,
        details: {
          name: `Contact ${i}`,
          relationship: 'Friend',
          phone: '+14155552671',
          email: `c${i}@example.org`,
          purposes: [ContactPurpose.EMERGENCY],
        },
      },
      { metadata: forwardedMetadata(token) },
    );
  }
  const collection = raw.db(dbName).collection('contacts');
  const listUrl = `${gatewayUrl}/api/v1/patients/${patient.id}/contacts`;
  const build = await raw.db(dbName).admin().command({ buildInfo: 1 });
  const server = build.ferretdbVersion ? `FerretDB ${build.ferretdbVersion}` : `MongoDB ${build.version}`;
  console.log(
    `read path: ${contactsPerPatient} contacts, ${concurrency} concurrent callers, ${duration} s each after ${warmup} s warm-up; ` +
      `${server} at ${env.mongoUrl}${process.env.BENCH_LABEL ? ` (${process.env.BENCH_LABEL})` : ''}`,
  );

  const results = {};
  const measure = async (row, name, call, think = 0) => {
    if (!rows.has(row)) return;
    results[name] = await load(call, think);
    const r = results[name];
    console.log(
      `${name.padEnd(32)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}` +
        (r.firstError ? `  first error: ${r.firstError}` : ''),
    );
  };
  console.log(`\n${'target'.padEnd(32)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
  await measure('floor', 'raw driver find (the floor)', () =>
    collection
      .find({ patientId: patient.id }, { projection: { outbox: 0 } })
      .sort({ createdAt: 1, _id: 1 })
      .toArray(),
  );
  await measure('grpc', 'gRPC ListContacts (direct)', () =>
    client.listContacts({ patientId: patient.id }, { metadata: forwardedMetadata(token) }),
  );
  await measure('gateway', 'gateway GET contacts', () => get(listUrl, token));
  const homeCalls = {
    organisation: `${gatewayUrl}/api/v1/organisation`,
    me: `${gatewayUrl}/api/v1/me`,
    'next appointments': `${gatewayUrl}/api/v1/patients/${patient.id}/appointments?period=upcoming&pageSize=5`,
    consents: `${gatewayUrl}/api/v1/patients/${patient.id}/consents`,
  };
  for (const [name, url] of Object.entries(homeCalls)) await measure('alone', `  Home's ${name} alone`, () => get(url, token));
  const home4 = () => Promise.all(Object.values(homeCalls).map((url) => get(url, token)));
  // With people reading between loads, each call's own latency too: which one makes the tail.
  const perCall = Object.fromEntries(Object.keys(homeCalls).map((name) => [name, []]));
  const home4Timed = (counted) =>
    Promise.all(
      Object.entries(homeCalls).map(async ([name, url]) => {
        const start = process.hrtime.bigint();
        await get(url, token);
        if (counted) perCall[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      }),
    );
  await measure('reading', HOME_PEOPLE, home4Timed, thinkMs);
  for (const [name, latencies] of Object.entries(perCall)) {
    if (latencies.length === 0) continue;
    latencies.sort((a, b) => a - b);
    console.log(
      `    ${name.padEnd(28)} ${''.padStart(7)} ${percentile(latencies, 50).toFixed(1).padStart(8)} ${percentile(latencies, 99).toFixed(1).padStart(8)}`,
    );
  }
  await measure('home', HOME, home4);

  const rawFind = results['raw driver find (the floor)'];
  const grpc = results['gRPC ListContacts (direct)'];
  const viaGateway = results['gateway GET contacts'];
  const home = results[HOME];
  const homePeople = results[HOME_PEOPLE];
  const verdict = (ok) => (ok ? 'meets the target' : 'MISSES the target');
  // Each figure is printed when the rows it compares were measured.
  const ratios = {
    ...(grpc && rawFind ? { grpcOfRaw: grpc.rps / rawFind.rps } : {}),
    ...(viaGateway && grpc ? { gatewayOfGrpc: viaGateway.rps / grpc.rps } : {}),
    ...(home ? { homeP99Ms: home.p99 } : {}),
    ...(homePeople ? { homeP99MsReading: homePeople.p99 } : {}),
  };
  console.log('');
  if (ratios.grpcOfRaw !== undefined)
    console.log(
      `gRPC / raw find:     ${(ratios.grpcOfRaw * 100).toFixed(0)}% of the throughput (target ≥ ${targets.grpcOfRaw * 100}%: ${verdict(ratios.grpcOfRaw >= targets.grpcOfRaw)})`,
    );
  if (ratios.gatewayOfGrpc !== undefined)
    console.log(
      `gateway / gRPC:      ${(ratios.gatewayOfGrpc * 100).toFixed(0)}% of the throughput (target ≥ ${targets.gatewayOfGrpc * 100}%: ${verdict(ratios.gatewayOfGrpc >= targets.gatewayOfGrpc)})`,
    );
  if (home)
    console.log(
      `Home page load p99:  ${home.p99.toFixed(1)} ms at ${concurrency} users loading Home back to back (target ≤ ${targets.homeP99Ms} ms: ${verdict(home.p99 <= targets.homeP99Ms)})`,
    );
  if (homePeople)
    console.log(
      `Home p99, reading:   ${homePeople.p99.toFixed(1)} ms at ${concurrency} users reading each Home ~${thinkMs} ms before the next (target ≤ ${targets.homeP99Ms} ms: ${verdict(homePeople.p99 <= targets.homeP99Ms)})`,
    );
  // Back to back, fifty loads are always in flight, so a load's mean latency is 50 over the loads
  // answered per second (Little's law). Home reads two patients' lists from the database (the next
  // appointments, the consents), so even with every hop above the driver free it could answer at
  // most half the raw finds per second: the least mean latency this machine allows back to back.
  if (home && rawFind) {
    const floorLoads = rawFind.rps / 2;
    console.log(
      `                     back to back, the database alone allows at most ${floorLoads.toFixed(0)} Home loads/s (two raw finds each): ` +
        `a mean of at least ${((concurrency / floorLoads) * 1000).toFixed(0)} ms per load before any other hop`,
    );
  }
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(`./results/read-path-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
  await writeFile(
    file,
    JSON.stringify(
      { server, mongoUrl: env.mongoUrl, label: process.env.BENCH_LABEL, concurrency, duration, thinkMs, results, ratios },
      null,
      2,
    ),
  );
} finally {
  agent.destroy();
  client.close();
  await raw.close();
  await gateway.kill();
  await Promise.all([contacts.kill(), appointments.kill(), documents.kill()]);
  await auth.kill();
  // Once nothing writes to them: the contacts database and each service's beside it.
  await dropDatabases(dbName);
  await deleteUser(patient);
  await deleteUser(staff);
}
