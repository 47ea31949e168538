// Benchmark (a script, not a test): the gateway's contacts list, next to a bare Fastify route and a
// direct gRPC call to the contacts service, at one fixed concurrency. Prints requests per second,
// p50 and p99 for each, and the ratios, so the cost of each hop is visible.
//   make bench            (CONCURRENCY=20 DURATION=10 make bench to change the load)
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { ContactsService, ContactPurpose } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService, forwardedMetadata } from '@portico/kit/grpc';
import { authEnvironment, baseEnvironment, createUser, deleteUser, passwordGrant, spawnService } from '@portico/testing';

const concurrency = Number(process.env.CONCURRENCY ?? 16);
const duration = Number(process.env.DURATION ?? 10);
const contactsPerPatient = 10;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Fixed-concurrency closed loop: `concurrency` callers, each calling again as soon as answered. */
async function grpcLoad(call) {
  const latencies = [];
  let errors = 0;
  const end = Date.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = process.hrtime.bigint();
        try {
          await call();
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return { rps: latencies.length / duration, mean, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

async function httpLoad(url, headers = {}) {
  const result = await autocannon({ url, connections: concurrency, duration, headers });
  // autocannon reports whole milliseconds for percentiles; the mean keeps the fraction.
  return {
    rps: result.requests.average,
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const dbName = `bench_contacts_${randomUUID().slice(0, 8)}`;
const patient = await createUser({ roles: ['patient'], clinicId: 'bench' });
const contacts = await spawnService('services/contacts/dist/main.js', { ...baseEnvironment(dbName), LOG_LEVEL: 'warn', GRPC_PORT: '0' });
const auth = await spawnService('services/auth/dist/main.js', { ...authEnvironment(dbName), GRPC_PORT: '0' });
const gatewayPort = 18000 + Math.floor(Math.random() * 1000);
const gateway = await spawnService(
  'gateway/dist/main.js',
  {
    ...baseEnvironment(dbName),
    LOG_LEVEL: 'warn',
    HTTP_PORT: String(gatewayPort),
    CONTACTS_GRPC_URL: `127.0.0.1:${contacts.grpcPort}`,
    AUTH_GRPC_URL: `127.0.0.1:${auth.grpcPort}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
  },
  { readyUrl: `http://127.0.0.1:${gatewayPort}/readyz` },
);
const bare = Fastify();
const token = await passwordGrant(patient);
const client = connectService(ContactsService, `127.0.0.1:${contacts.grpcPort}`);
try {
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
  const listUrl = `http://127.0.0.1:${gatewayPort}/api/v1/patients/${patient.id}/contacts`;
  const sample = await (await fetch(listUrl, { headers: { authorization: `Bearer ${token}` } })).json();
  bare.get('/bare', async () => sample);
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

  console.log(
    `contacts list, ${contactsPerPatient} contacts, concurrency ${concurrency}, ${duration} s each, on ${process.env.HOSTNAME ?? 'this machine'}`,
  );
  const results = {
    'bare Fastify route': await httpLoad(`${bareUrl}/bare`),
    'gRPC ListContacts (direct)': await grpcLoad(() =>
      client.listContacts({ patientId: patient.id }, { metadata: forwardedMetadata(token) }),
    ),
    'gateway GET contacts': await httpLoad(listUrl, { authorization: `Bearer ${token}` }),
  };
  console.log('');
  console.log('target                         req/s    mean ms    p50 ms   p99 ms   errors');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)} ${r.mean.toFixed(2).padStart(10)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`,
    );
  }
  const g = results['gateway GET contacts'];
  const b = results['bare Fastify route'];
  const d = results['gRPC ListContacts (direct)'];
  console.log('');
  console.log(`gateway / bare Fastify:  ${(g.rps / b.rps).toFixed(3)}x throughput, ${(g.mean / b.mean).toFixed(1)}x mean latency`);
  console.log(`gateway / direct gRPC:   ${(g.rps / d.rps).toFixed(2)}x throughput, ${(g.mean / d.mean).toFixed(2)}x mean latency`);
} finally {
  client.close();
  await bare.close();
  await gateway.kill();
  await contacts.kill();
  await auth.kill();
  await deleteUser(patient);
}
