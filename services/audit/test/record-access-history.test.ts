// The audit trail against the real servers and services: what patients, guardians and staff do
// through the gateway reaches the audit service over Kafka and shows in the patient's history
// (who, for whom, what, when, from where, allowed or refused); a replay of the topic adds nothing;
// nothing in the trail can be changed through any API; staff of another clinic cannot read it.
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { AuditService } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import { AUDIT_TOPIC } from '@portico/kit/audit';
import type { RunningService } from '@portico/kit/runtime';
import {
  createUser,
  deleteUser,
  groupCaughtUp,
  passwordGrant,
  recordTopics,
  startPlatform,
  startTestService,
  testKafka,
  waitUntil,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Access {
  id: string;
  actor: { id: string; role: string; clinicId: string };
  patientId: string;
  action: string;
  resourceType: string;
  outcome: 'allowed' | 'refused';
  occurredAt: string;
  sourceIp: string;
  requestId: string;
}
interface Opening {
  actor: { id: string; role: string };
  action: string;
  occurredAt: string;
}

let platform: RunningPlatform;
let topics: Awaited<ReturnType<typeof recordTopics>>;
let alice: TestUser, bob: TestUser, staff: TestUser, otherClinicStaff: TestUser;
const tokens: Record<string, string> = {};
const started: RunningService[] = [];
const fileStartedAt = new Date();

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'contacts', 'audit'] });
  // From its end: every record this file looks at comes after, and the topic keeps every read the
  // machine has served for a week (a benchmark run alone adds tens of thousands).
  topics = await recordTopics([AUDIT_TOPIC], { fromNow: true });
  [alice, bob, staff, otherClinicStaff] = await Promise.all([
    createUser({ roles: ['patient'], clinicId: 'clinic-a' }),
    createUser({ roles: ['patient'], clinicId: 'clinic-a' }),
    createUser({ roles: ['staff'], clinicId: 'clinic-a' }),
    createUser({ roles: ['staff'], clinicId: 'clinic-b' }),
  ]);
  for (const user of [alice, bob, staff, otherClinicStaff]) tokens[user.id] = await passwordGrant(user!);
});

afterAll(async () => {
  await Promise.all(started.map((service) => service.lifecycle.shutdown('test over')));
  await topics?.stop();
  await platform?.stop();
  await Promise.all([alice, bob, staff, otherClinicStaff].filter(Boolean).map(deleteUser));
});

const call = (who: TestUser, path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${platform.gatewayUrl}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${tokens[who.id]}`, ...init.headers } });

async function history(query = ''): Promise<Access[]> {
  const response = await call(staff, `/staff/patients/${alice.id}/access-history${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { accesses: Access[] }).accesses;
}

/** Waits until the trail shows an entry the request with `requestId` caused. */
const entryOf = (requestId: string) =>
  waitUntil(async () => (await history()).find((a) => a.requestId === requestId), 60_000, `the audit entry of request ${requestId}`);

const storedEntries = () => platform.db('audit').collection('record_accesses').find({ patientId: alice.id }).toArray();

describe('the record-access history', () => {
  let aliceReadAt: { before: Date; after: Date };
  const aliceRead = `test-${randomUUID()}`;

  it('shows a read through the gateway: who, for whom, what, when and from where', async () => {
    aliceReadAt = { before: new Date(), after: new Date() };
    const read = await call(alice, `/patients/${alice.id}/contacts`, { headers: { 'x-request-id': aliceRead } });
    expect(read.status).toBe(200);
    aliceReadAt.after = new Date();

    const entry = await entryOf(aliceRead);
    expect(entry).toMatchObject({
      actor: { id: alice.id, role: 'patient', clinicId: 'clinic-a' },
      patientId: alice.id,
      action: 'contacts.list',
      resourceType: 'contact',
      outcome: 'allowed',
      sourceIp: '127.0.0.1',
    });
    const when = new Date(entry.occurredAt).getTime();
    expect(when).toBeGreaterThanOrEqual(aliceReadAt.before.getTime() - 1_000);
    expect(when).toBeLessThanOrEqual(aliceReadAt.after.getTime() + 1_000);
  });

  it('shows a refused attempt on another patient’s record as refused', async () => {
    const attempt = `test-${randomUUID()}`;
    const refused = await call(bob, `/patients/${alice.id}/contacts`, { headers: { 'x-request-id': attempt } });
    expect(refused.status).toBe(404);
    expect(await entryOf(attempt)).toMatchObject({
      // A refused caller acted in no role for the patient.
      actor: { id: bob.id, role: 'unknown', clinicId: 'clinic-a' },
      patientId: alice.id,
      action: 'contacts.list',
      outcome: 'refused',
    });
  });

  it('shows the patient who opened their record, without refusals or network addresses', async () => {
    const staffRead = `test-${randomUUID()}`;
    expect((await call(staff, `/patients/${alice.id}/contacts`, { headers: { 'x-request-id': staffRead } })).status).toBe(200);
    await entryOf(staffRead);

    const response = await call(alice, `/patients/${alice.id}/access-history`);
    expect(response.status).toBe(200);
    const { openings } = (await response.json()) as { openings: (Opening & Record<string, unknown>)[] };
    expect(openings).toContainEqual(
      expect.objectContaining({ actor: expect.objectContaining({ id: staff.id, role: 'staff' }), action: 'contacts.list' }),
    );
    // Staff reading the history opened the record too, and the patient sees that as well.
    expect(openings).toContainEqual(
      expect.objectContaining({ actor: expect.objectContaining({ id: staff.id }), action: 'audit.list_record_accesses' }),
    );
    expect(openings.some((o) => o.actor.id === alice.id && o.action === 'contacts.list')).toBe(true);
    expect(openings.some((o) => o.actor.id === bob.id)).toBe(false);
    expect(openings.every((o) => !('sourceIp' in o) && !('requestId' in o))).toBe(true);
  });

  it('lets staff narrow the history by person and by date, a page at a time', async () => {
    const byAlice = await history(`?actorId=${alice.id}`);
    expect(byAlice.length).toBeGreaterThan(0);
    expect(byAlice.every((a) => a.actor.id === alice.id)).toBe(true);

    const from = new Date(aliceReadAt.before.getTime() - 1_000).toISOString();
    const before = new Date(aliceReadAt.after.getTime() + 1_000).toISOString();
    const inRange = await history(`?from=${from}&before=${before}`);
    expect(inRange.some((a) => a.requestId === aliceRead)).toBe(true);
    expect(inRange.every((a) => a.occurredAt >= from && a.occurredAt < before)).toBe(true);
    expect(await history(`?before=${from}`)).toEqual([]);

    const first = (await (await call(staff, `/staff/patients/${alice.id}/access-history?pageSize=1`)).json()) as {
      accesses: Access[];
      nextPageToken: string;
    };
    expect(first.accesses).toHaveLength(1);
    expect(first.nextPageToken).not.toBe('');
    const second = (await (
      await call(staff, `/staff/patients/${alice.id}/access-history?pageSize=1&pageToken=${first.nextPageToken}`)
    ).json()) as { accesses: Access[] };
    expect(second.accesses).toHaveLength(1);
    expect(second.accesses[0]!.id).not.toBe(first.accesses[0]!.id);

    const backwards = await call(staff, `/staff/patients/${alice.id}/access-history?from=${before}&before=${from}`);
    expect(backwards.status).toBe(400);
  });

  it('refuses staff of another clinic with 404, patients on someone else’s history with 404, and patients on the staff view with 403', async () => {
    const otherClinic = await call(otherClinicStaff, `/staff/patients/${alice.id}/access-history`);
    expect(otherClinic.status).toBe(404);
    expect(await otherClinic.json()).not.toHaveProperty('accesses');
    expect((await call(bob, `/patients/${alice.id}/access-history`)).status).toBe(404);
    expect((await call(alice, `/staff/patients/${alice.id}/access-history`)).status).toBe(403);
    // The refusal is itself in the trail, for the clinic to see.
    await waitUntil(
      async () => (await history(`?actorId=${otherClinicStaff.id}`)).find((a) => a.outcome === 'refused'),
      60_000,
      'the refusal of the other clinic’s staff',
    );
  });

  it('offers no way to add, change or remove an entry', async () => {
    const before = await storedEntries();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      for (const path of [`/staff/patients/${alice.id}/access-history`, `/patients/${alice.id}/access-history`]) {
        const response = await call(staff, path, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }
    const document = (await (await fetch(`${platform.gatewayUrl}/api/docs/json`)).json()) as { paths: Record<string, object> };
    const historyPaths = Object.entries(document.paths).filter(([path]) => path.includes('access-history'));
    expect(historyPaths.length).toBe(2);
    for (const [, operations] of historyPaths) expect(Object.keys(operations)).toEqual(['get']);
    // The gRPC contract has reads only.
    expect(AuditService.methods.every((m) => m.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS)).toBe(true);
    const after = await storedEntries();
    expect(after.filter((e) => before.some((b) => b._id === e._id))).toEqual(before);
  });

  it('keeps one entry per event when the topic is delivered again: re-published or read by a second consumer group', async () => {
    // The same records once more, as a producer that retried after a lost acknowledgement would send them.
    const published = (await topics.caughtUp()).filter((r) => r.key === alice.id);
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: AUDIT_TOPIC, messages: published.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
    await producer.disconnect();
    const groupOf = (service: RunningService) => (service as RunningService & { groupId: string }).groupId;
    await groupCaughtUp(groupOf(platform.services.audit!), [AUDIT_TOPIC], 120_000);

    // A second consumer group over the same database reads the whole topic again from the start.
    // It starts at this file's beginning (AUDIT_CONSUMER_START), which takes in all of this file's records.
    const replay = await startTestService('audit', `${platform.runId}_audit`, {
      AUDIT_CONSUMER_GROUP: `test-replay-${randomUUID()}`,
      AUDIT_CONSUMER_START: fileStartedAt.toISOString(),
    });
    started.push(replay);
    const onTopic = (await topics.caughtUp()).filter((r) => r.key === alice.id);
    await Promise.all([platform.services.audit!, replay].map((service) => groupCaughtUp(groupOf(service), [AUDIT_TOPIC], 120_000)));

    const eventIds = new Set(onTopic.map((r) => r.headers.ce_id));
    expect(onTopic.length).toBeGreaterThan(eventIds.size);
    expect((await storedEntries()).map((e) => e._id).sort()).toEqual([...eventIds].sort());
  });
});
