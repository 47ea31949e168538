// The clinic's side through the gateway: staff set up the clinic's profile and handbook, invite a
// patient (the welcome email carries working credentials; the first login must set a new
// password and accepts the invitation), and unlinking a guardian ends their access.
import { randomUUID } from 'node:crypto';
import {
  BrowserSession,
  createUser,
  deleteUser,
  passwordGrant,
  startPlatform,
  waitForEmails,
  type RunningPlatform,
  type TestUser,
} from '@portico/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
let platform: RunningPlatform;
let staff: TestUser;
let patient: TestUser;
let guardian: TestUser;
let staffToken: string;
const invited: string[] = [];

beforeAll(async () => {
  // Short access tokens, so a guardian's refreshed token shows an unlink within seconds.
  platform = await startPlatform({ accessTokenLifespanSeconds: 5 });
  staff = await createUser({ roles: ['staff'], clinicId });
  patient = await createUser({ roles: ['patient'], clinicId });
  guardian = await createUser({ roles: ['guardian'], patients: [patient.id], clinicId });
  staffToken = await passwordGrant(staff);
});

afterAll(async () => {
  await platform?.stop();
  await Promise.all([staff, patient, guardian].filter(Boolean).map((u) => deleteUser(u!)));
  for (const id of invited) await deleteUser({ id, username: '', password: '' });
});

const asStaff = (path: string, init: RequestInit = {}) =>
  fetch(`${platform.gatewayUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${staffToken}`,
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(init.headers ?? {}),
    },
  });

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n% Riverside client handbook\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF\n')]);

describe('the staff API', () => {
  it('sets up the clinic: profile for the home page and a handbook patients can download', async () => {
    const saved = await asStaff('/api/v1/staff/organisation', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Riverside Family Clinic',
        address: { line1: '12 River Road', city: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'US' },
        phone: '(217) 555-0142',
        phoneRegion: 'US',
        email: 'frontdesk@riverside.example',
        hours: ['Mon–Fri 8:00–18:00'],
        welcomeMessage: 'Welcome to Riverside.',
        portalUrl: platform.gatewayUrl,
        timeZone: 'America/Chicago',
      }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ name: 'Riverside Family Clinic', phone: '+12175550142', version: 1 });

    const bad = await asStaff('/api/v1/staff/organisation', {
      method: 'PUT',
      body: JSON.stringify({ name: 'X', timeZone: 'Mars/Olympus' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toContain('timeZone');

    const upload = await asStaff('/api/v1/staff/organisation/handbook', {
      method: 'PUT',
      body: PDF,
      headers: { 'content-type': 'application/pdf', 'x-file-name': 'Client handbook.pdf' },
    });
    expect(upload.status).toBe(200);
    expect((await upload.json()).hasHandbook).toBe(true);

    const patientToken = await passwordGrant(patient);
    const home = await (
      await fetch(`${platform.gatewayUrl}/api/v1/organisation`, { headers: { authorization: `Bearer ${patientToken}` } })
    ).json();
    expect(home).toMatchObject({
      name: 'Riverside Family Clinic',
      welcomeMessage: 'Welcome to Riverside.',
      handbookFileName: 'Client handbook.pdf',
      hasHandbook: true,
    });
    const download = await fetch(`${platform.gatewayUrl}/api/v1/organisation/handbook`, {
      headers: { authorization: `Bearer ${patientToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="Client handbook.pdf"');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('refuses the staff API to patients', async () => {
    const patientToken = await passwordGrant(patient);
    const response = await fetch(`${platform.gatewayUrl}/api/v1/staff/invitations`, {
      headers: { authorization: `Bearer ${patientToken}` },
    });
    expect(response.status).toBe(403);
  });

  it('invites a patient whose first login sets a new password and accepts the invitation', async () => {
    const email = `invited-${randomUUID().slice(0, 8)}@example.org`;
    const response = await asStaff('/api/v1/staff/invitations', {
      method: 'POST',
      body: JSON.stringify({ email, givenName: 'Maria', familyName: 'Lopez', kind: 'patient' }),
    });
    expect(response.status).toBe(201);
    const { invitation, welcomeEmailSent } = await response.json();
    invited.push(invitation.userId);
    expect(welcomeEmailSent).toBe(true);
    expect(invitation).toMatchObject({ email, kind: 'patient', status: 'pending' });

    const [mail] = await waitForEmails(email);
    expect(mail!.Text).toContain('Hello Maria');
    expect(mail!.Text).toContain(platform.gatewayUrl);
    const password = /Temporary password: (\S+)/.exec(mail!.Text)?.[1];
    expect(password).toBeTruthy();

    const browser = new BrowserSession(platform.gatewayUrl);
    expect(await browser.logIn(email, password!, '/', `New-${randomUUID()}`)).toBe('/');
    const me = await (await browser.api('/api/v1/me')).json();
    expect(me).toMatchObject({ user: { id: invitation.userId, roles: ['patient'] }, actingFor: invitation.userId });

    const list = await (await asStaff('/api/v1/staff/invitations')).json();
    expect(list.invitations.find((i: { id: string }) => i.id === invitation.id)).toMatchObject({ status: 'accepted' });
  });

  it('ends a guardian’s access to a patient once staff unlink them', async () => {
    const browser = new BrowserSession(platform.gatewayUrl);
    await browser.logIn(guardian.username, guardian.password);
    expect((await browser.api(`/api/v1/patients/${patient.id}/contacts`)).status).toBe(200);

    const unlink = await asStaff(`/api/v1/staff/guardians/${guardian.id}/patients/${patient.id}`, { method: 'DELETE' });
    expect(unlink.status).toBe(200);
    expect((await unlink.json()).patientIds).toEqual([]);

    // At the next token refresh: access tokens live 5 s here, less than the margin before expiry at
    // which the gateway refreshes them, so the very next request carries the guardian's new token.
    expect((await browser.api(`/api/v1/patients/${patient.id}/contacts`)).status).toBe(404);
  });
});
