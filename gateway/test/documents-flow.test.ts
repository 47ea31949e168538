// Seed step 6's files through the gateway, with real Keycloak tokens and the real documents
// service: the browser's upload streams through to the service (the body is the file), downloads
// go out as attachments the browser must not sniff, staff share a treatment plan and a resource
// and file what patients sent. Bad files get a problem saying why.
import { createHash, randomUUID } from 'node:crypto';
import {
  createUser,
  deleteUser,
  passwordGrant,
  sampleExecutable,
  sampleJpeg,
  samplePdf,
  startPlatform,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let patient: TestUser;
let sibling: TestUser;
let guardian: TestUser;
const tokens = { staff: '', patient: '', sibling: '', guardian: '' };
type Who = keyof typeof tokens;

beforeAll(async () => {
  platform = await startPlatform({ services: ['auth', 'documents'] });
  [staff, patient, sibling] = await Promise.all([
    createUser({ roles: ['staff'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
    createUser({ roles: ['patient'], clinicId }),
  ]);
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  for (const [who, user] of Object.entries({ staff, patient, sibling, guardian })) tokens[who as Who] = await passwordGrant(user);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, patient, sibling, guardian].filter(Boolean).map((u) => deleteUser(u!)));
});

function call(who: Who, path: string, init: RequestInit = {}) {
  return fetch(`${platform.gatewayUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });
}

const send = (who: Who, path: string, bytes: Buffer, fileName: string, type = 'application/octet-stream') =>
  call(who, path, { method: 'POST', body: bytes, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(fileName) } });

const sha256 = (bytes: ArrayBuffer | Buffer) =>
  createHash('sha256')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

describe('the Upload tool through the gateway', () => {
  it('streams the file to the service; staff download the same bytes as an attachment and file it', async () => {
    const pdf = await samplePdf('Referral letter', 2 * 1024 * 1024);
    const sent = await send('patient', `/api/v1/patients/${patient.id}/uploads`, pdf, 'Referral – März.pdf', 'application/pdf');
    expect(sent.status, await sent.clone().text()).toBe(201);
    const { upload } = (await sent.json()) as {
      upload: { id: string; status: string; file: { fileName: string; sha256: string; sizeBytes: number } };
    };
    expect(upload).toMatchObject({
      status: 'received',
      file: { fileName: 'Referral – März.pdf', sizeBytes: pdf.length, sha256: sha256(pdf) },
    });

    const waiting = (await (await call('staff', '/api/v1/staff/uploads?status=received')).json()) as { uploads: { id: string }[] };
    expect(waiting.uploads.map((u) => u.id)).toContain(upload.id);

    const download = await call('staff', `/api/v1/patients/${patient.id}/uploads/${upload.id}/file`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Referral _ M_rz.pdf"; filename\*=UTF-8''Referral%20%E2%80%93%20M%C3%A4rz.pdf$/,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha256(await download.arrayBuffer())).toBe(sha256(pdf));

    const filed = await call('staff', `/api/v1/staff/patients/${patient.id}/uploads/${upload.id}/filed`, { method: 'POST' });
    expect(((await filed.json()) as { upload: { status: string } }).upload.status).toBe('filed');
    const mine = (await (await call('patient', `/api/v1/patients/${patient.id}/uploads`)).json()) as {
      uploads: { id: string; status: string }[];
    };
    expect(mine.uploads.find((u) => u.id === upload.id)?.status).toBe('filed');
  });

  it('refuses an executable called .pdf with a problem naming the file, and a body without its length', async () => {
    const refused = await send('patient', `/api/v1/patients/${patient.id}/uploads`, sampleExecutable(), 'invoice.pdf', 'application/pdf');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([
      { field: 'file', message: expect.stringMatching(/^is not a PDF, JPEG image/) },
    ]);

    const chunked = await call('patient', `/api/v1/patients/${patient.id}/uploads`, {
      method: 'POST',
      body: new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(sampleJpeg(1024))), c.close()) }),
      headers: { 'content-type': 'image/jpeg' },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it('lets a guardian upload for their patient, never for another', async () => {
    const mine = await send('guardian', `/api/v1/patients/${patient.id}/uploads`, sampleJpeg(), 'note.jpg');
    expect(mine.status, await mine.clone().text()).toBe(201);
    expect((await send('guardian', `/api/v1/patients/${sibling.id}/uploads`, sampleJpeg(), 'note.jpg')).status).toBe(404);
    expect((await call('guardian', `/api/v1/patients/${sibling.id}/documents`)).status).toBe(404);
  });
});

describe('staff sharing', () => {
  it('a treatment plan the patient sees as new until they open it, and staff then see it opened', async () => {
    const pdf = await samplePdf('Treatment plan');
    const query = new URLSearchParams({
      kind: 'treatment_plan',
      title: 'Treatment plan',
      documentDate: '2026-11-20',
      author: 'Dr Alex Morgan',
    });
    const shared = await send('staff', `/api/v1/staff/patients/${patient.id}/documents?${query}`, pdf, 'plan.pdf', 'application/pdf');
    expect(shared.status, await shared.clone().text()).toBe(201);
    const { document } = (await shared.json()) as { document: { id: string; isNew: boolean } };
    expect(document.isNew).toBe(true);

    const opened = await call('patient', `/api/v1/patients/${patient.id}/documents/${document.id}/file`);
    expect(opened.headers.get('content-disposition')).toBe('attachment; filename="plan.pdf"');
    expect(sha256(await opened.arrayBuffer())).toBe(sha256(pdf));
    const seen = (await (await call('staff', `/api/v1/patients/${patient.id}/documents`)).json()) as {
      documents: { id: string; isNew: boolean; openedAt: string | null }[];
    };
    expect(seen.documents.find((d) => d.id === document.id)).toMatchObject({ isNew: false, openedAt: expect.any(String) });
  });

  it('a link for every patient, which the patient and their sibling both see', async () => {
    const shared = await call('staff', '/api/v1/staff/resources', {
      method: 'POST',
      body: JSON.stringify({
        title: 'Crisis lines',
        description: 'Who to call, day and night.',
        linkUrl: 'https://example.org/crisis',
      }),
    });
    expect(shared.status, await shared.clone().text()).toBe(201);
    const { resource } = (await shared.json()) as { resource: { id: string } };
    for (const who of ['patient', 'sibling'] as const) {
      const id = who === 'patient' ? patient.id : sibling.id;
      const listed = (await (await call(who, `/api/v1/patients/${id}/resources`)).json()) as {
        resources: { id: string; linkUrl: string }[];
      };
      expect(listed.resources).toContainEqual(expect.objectContaining({ id: resource.id, linkUrl: 'https://example.org/crisis' }));
    }
  });

  it('is refused to patients and guardians before the body is read', async () => {
    const query = new URLSearchParams({ kind: 'note', title: 'x', documentDate: '2026-11-20', author: 'x' });
    const refused = await send('patient', `/api/v1/staff/patients/${patient.id}/documents?${query}`, await samplePdf(), 'x.pdf');
    expect(refused.status).toBe(403);
    expect((await call('guardian', '/api/v1/staff/uploads')).status).toBe(403);
  });
});
