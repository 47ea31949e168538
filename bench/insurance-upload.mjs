// Benchmark (a script, not a test): what adding a coverage with both card photos costs through the
// gateway, against the real servers, at the largest photos accepted. One multipart request carries
// the details and two photos; the gateway reads each photo (up to 10 MB) and passes both to the
// insurance service in one gRPC message, which checks their bytes and writes them to the object
// store before the coverage. Prints, per photo size: requests per second, p50 and p99 latency, and
// the growth of this process's peak resident memory (gateway and service run in it).
//   node bench/insurance-upload.mjs   (REQUESTS=20 CONCURRENCY=2 SIZES_MB=1,5,10 to change it)
import { performance } from 'node:perf_hooks';
import { createUser, deleteUser, passwordGrant, startPlatform } from '@portico/testing';

const requests = Number(process.env.REQUESTS ?? 20);
const concurrency = Number(process.env.CONCURRENCY ?? 2);
const sizesMb = (process.env.SIZES_MB ?? '1,5,10').split(',').map(Number);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** A real 1×1 PNG padded to `bytes`: file-type reads its start, the rest stands for a large photo. */
function photoOf(bytes) {
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082',
    'hex',
  );
  return Buffer.concat([png, Buffer.alloc(Math.max(0, bytes - png.length), 7)]);
}

const platform = await startPlatform({ services: ['auth', 'insurance'] });
const clinicId = `bench-${Date.now()}`;
const patients = await Promise.all(Array.from({ length: concurrency }, () => createUser({ roles: ['patient'], clinicId })));
const tokens = await Promise.all(patients.map((p) => passwordGrant(p)));
const rows = [];
try {
  for (const mb of sizesMb) {
    const photo = new globalThis.Blob([photoOf(mb * 1024 * 1024)], { type: 'image/png' });
    const latencies = [];
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      patients.map(async (patient, worker) => {
        while (next < requests) {
          const n = next++;
          const form = new globalThis.FormData();
          form.set(
            'details',
            JSON.stringify({
              payerName: 'Bench Mutual',
              planType: 'ppo',
              memberId: `B${n}`,
              subscriber: { relationship: 'self' },
              priority: 'primary',
              effectiveDate: '2026-01-01',
            }),
          );
          form.set('frontPhoto', photo, 'front.png');
          form.set('backPhoto', photo, 'back.png');
          const base = `${platform.gatewayUrl}/api/v1/patients/${patient.id}/insurance`;
          const t0 = performance.now();
          const response = await fetch(base, { method: 'POST', headers: { authorization: `Bearer ${tokens[worker]}` }, body: form });
          latencies.push(performance.now() - t0);
          if (response.status !== 201) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
          const { coverage } = await response.json();
          // Frees the primary slot for the next request of this patient.
          await fetch(`${base}/${coverage.id}/deactivate`, { method: 'POST', headers: { authorization: `Bearer ${tokens[worker]}` } });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push({
      'photos (2 ×)': `${mb} MB`,
      requests,
      concurrency,
      'req/s': (requests / seconds).toFixed(2),
      'MB/s in': ((requests * 2 * mb) / seconds).toFixed(1),
      'p50 ms': percentile(latencies, 50).toFixed(0),
      'p99 ms': percentile(latencies, 99).toFixed(0),
      'peak RSS growth MiB': ((process.resourceUsage().maxRSS - rssBefore) / 1024).toFixed(0),
    });
  }
  console.table(rows);
  console.log(`peak RSS of the process (gateway + auth + insurance + client): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await platform.stop();
  await Promise.all(patients.map((p) => deleteUser(p)));
}
