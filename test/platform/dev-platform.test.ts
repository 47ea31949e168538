// STARTS SERVERS: runs `make dev` itself (the gateway, every service, the mail page) several
// times on free ports, so it belongs in a serial group, never beside other files that start the
// platform. The shared infrastructure servers are only used, never stopped.
//
// What a newcomer and an operator notice about `make dev`: it opens a demo clinic they can log in
// to at once, with the welcome email readable in a browser; starting it again creates nothing
// twice; and Ctrl-C, SIGINT or SIGTERM stops everything it started, within the services' grace
// period, whichever way the signal comes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { adminAccessToken, env, freePort, passwordGrant, repoRoot, waitForEmails, waitUntil } from '@portico/testing';
import { connectMongo } from '@portico/kit/mongo';
import { createLogger } from '@portico/kit/logging';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

// The services' grace period (SHUTDOWN_GRACE_MS, 10 s) and the 2 s they allow themselves past it.
const GRACE_MS = 12_000;
// One start of make dev on a busy two-core machine (services, seed), its checks and its stop.
const STEP_MS = 240_000;
const run = randomUUID().slice(0, 8);
// The welcome emails the invitations sent (the demo's appointments send emails of their own).
const WELCOME = /^Welcome to /;
const domain = `dev-${run}.test`;
const dbPrefix = `test_dev_${run}`;
const portNames = [
  'http',
  'contactsGrpc',
  'authGrpc',
  'auditGrpc',
  'contactsMetrics',
  'gatewayMetrics',
  'authMetrics',
  'auditMetrics',
  'appointmentsGrpc',
  'notificationsGrpc',
  'appointmentsMetrics',
  'notificationsMetrics',
  'documentsGrpc',
  'documentsMetrics',
  'insuranceGrpc',
  'insuranceMetrics',
  'billingGrpc',
  'billingMetrics',
  'mail',
] as const;
let ports: Record<(typeof portNames)[number], number>;

interface Person {
  role: string;
  email: string;
  password: string;
}

interface MakeDev {
  child: ChildProcess;
  output: () => string;
  /** Every process `make dev` started, while it was running. */
  processes: number[];
  people: Person[];
}

function processTable(): Map<number, { ppid: number; state: string }> {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(ppid), state: state! });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

function descendantsOf(root: number): number[] {
  const table = processTable();
  const found = [root];
  for (let i = 0; i < found.length; i++)
    for (const [pid, { ppid }] of table) if (ppid === found[i] && !found.includes(pid)) found.push(pid);
  return found;
}

const alive = (pids: number[]) => {
  const table = processTable();
  return pids.filter((pid) => table.has(pid) && table.get(pid)!.state !== 'Z');
};

/** `make dev` as a developer types it (its build and infra-up prerequisites skipped: done already). */
async function startMakeDev(options: { terminal?: boolean } = {}): Promise<MakeDev> {
  const make = ['make', '--no-print-directory', '-o', 'build', '-o', 'infra-up', 'dev'];
  const environment = {
    ...process.env,
    HTTP_PORT: String(ports.http),
    CONTACTS_GRPC_PORT: String(ports.contactsGrpc),
    AUTH_GRPC_PORT: String(ports.authGrpc),
    AUDIT_GRPC_PORT: String(ports.auditGrpc),
    CONTACTS_METRICS_PORT: String(ports.contactsMetrics),
    GATEWAY_METRICS_PORT: String(ports.gatewayMetrics),
    AUTH_METRICS_PORT: String(ports.authMetrics),
    AUDIT_METRICS_PORT: String(ports.auditMetrics),
    APPOINTMENTS_GRPC_PORT: String(ports.appointmentsGrpc),
    NOTIFICATIONS_GRPC_PORT: String(ports.notificationsGrpc),
    APPOINTMENTS_METRICS_PORT: String(ports.appointmentsMetrics),
    NOTIFICATIONS_METRICS_PORT: String(ports.notificationsMetrics),
    DOCUMENTS_GRPC_PORT: String(ports.documentsGrpc),
    DOCUMENTS_METRICS_PORT: String(ports.documentsMetrics),
    INSURANCE_GRPC_PORT: String(ports.insuranceGrpc),
    INSURANCE_METRICS_PORT: String(ports.insuranceMetrics),
    BILLING_GRPC_PORT: String(ports.billingGrpc),
    BILLING_METRICS_PORT: String(ports.billingMetrics),
    MAIL_VIEWER_PORT: String(ports.mail),
    DEV_DB_PREFIX: dbPrefix,
    // The buckets are the developer's, shared with this run's databases: no orphan sweep, which
    // would take the files only the other database names for orphans.
    OBJECT_SWEEP_INTERVAL_MS: '0',
    DEMO_CLINIC_ID: `dev-${run}`,
    DEMO_EMAIL_DOMAIN: domain,
  };
  // In a real terminal (util-linux `script` gives it one), Ctrl-C is the terminal's doing: the
  // kernel sends SIGINT to the whole foreground process group.
  const child = options.terminal
    ? spawn('script', ['-qfec', make.join(' '), '/dev/null'], { cwd: repoRoot, env: environment, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(make[0]!, make.slice(1), { cwd: repoRoot, env: environment, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`make dev exited with ${child.exitCode}:\n${output}`);
      return output.includes('Ctrl-C stops the services.') || undefined;
    },
    150_000,
    'make dev to print its banner',
    250,
  );
  // A failing test shows what make dev said (the seed's lines, a service that exited).
  onTestFailed(() =>
    console.error(
      `make dev's output:\n${output
        .split('\n')
        .filter((line) => !/request completed/.test(line))
        .join('\n')}`,
    ),
  );
  const people = [...output.matchAll(/^\s+(staff|patient|guardian)\s+(\S+@\S+)\s+(\S+)/gm)].map(([, role, email, password]) => ({
    role: role!,
    email: email!,
    password: password!,
  }));
  return { child, output: () => output, processes: descendantsOf(child.pid!), people };
}

/** Waits for every process of `make dev` to be gone; returns those still running after the grace period. */
async function leftRunning(dev: MakeDev): Promise<number[]> {
  const deadline = Date.now() + GRACE_MS + 3_000;
  while (Date.now() < deadline && alive(dev.processes).length > 0) await new Promise((r) => setTimeout(r, 200));
  return alive(dev.processes);
}

const portAnswers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

/** Throws unless the person logs in with the printed password (no password change asked first). */
const token = (person: Person) => passwordGrant({ id: '', username: person.email, password: person.password });

async function api<T>(accessToken: string, path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${ports.http}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface DemoState {
  organisation: { name: string; hasLogo: boolean; hasHandbook: boolean; version: number };
  users: { id: string; email: string; kind: string; patientIds: string[] }[];
  contacts: Record<string, string[]>;
  /** Per patient: the ids of their upcoming and past appointments, and the statuses of the past ones. */
  appointments: Record<string, { upcoming: string[]; past: string[]; pastStatuses: string[] }>;
  /** Per patient: the ids of the clinical documents and the resources shared with them. */
  documents: Record<string, { documents: string[]; resources: string[] }>;
  /** Per patient: their screenings as `instrument:score` (`instrument:open` while to complete). */
  screenings: Record<string, string[]>;
  /** Per patient: their consents as `templateId:state` (and a release's state). */
  consents: Record<string, string[]>;
  /** Per patient: their forms as `key:state`, and the additional surveys offered to them. */
  forms: Record<string, { forms: string[]; surveys: string[] }>;
  /** Per patient: their coverages as priority, state and policy holder. */
  insurance: Record<string, string[]>;
  /** Per patient: their invoices' ids and balance (minor units). */
  billing: Record<string, { invoices: string[]; balanceMinor: number }>;
  /** Per patient: their Good Faith Estimates as `id version status`. */
  estimates: Record<string, string[]>;
  /** Per patient: their payment plans' ids. */
  paymentPlans: Record<string, string[]>;
}

/** What the demo clinic's staff member sees of it. */
async function demoState(dev: MakeDev): Promise<DemoState> {
  const staffToken = await token(dev.people.find((p) => p.role === 'staff')!);
  const organisation = await api<DemoState['organisation']>(staffToken, '/api/v1/organisation');
  const { users } = await api<{ users: DemoState['users'] }>(staffToken, '/api/v1/staff/users');
  const contacts: Record<string, string[]> = {};
  const appointments: DemoState['appointments'] = {};
  const documents: DemoState['documents'] = {};
  const screenings: DemoState['screenings'] = {};
  const consents: DemoState['consents'] = {};
  const forms: DemoState['forms'] = {};
  const insurance: DemoState['insurance'] = {};
  const billing: DemoState['billing'] = {};
  const estimates: DemoState['estimates'] = {};
  const paymentPlans: DemoState['paymentPlans'] = {};
  type Listed = { appointments: { id: string; status: string }[] };
  for (const user of users.filter((u) => u.kind === 'patient')) {
    const list = await api<{ contacts: { name: string }[] }>(staffToken, `/api/v1/patients/${user.id}/contacts`);
    contacts[user.email] = list.contacts.map((c) => c.name).sort();
    const upcoming = await api<Listed>(staffToken, `/api/v1/patients/${user.id}/appointments?period=upcoming`);
    const past = await api<Listed>(staffToken, `/api/v1/patients/${user.id}/appointments?period=past`);
    appointments[user.email] = {
      upcoming: upcoming.appointments.map((a) => a.id).sort(),
      past: past.appointments.map((a) => a.id).sort(),
      pastStatuses: past.appointments.map((a) => a.status).sort(),
    };
    const shared = await api<{ documents: { id: string }[] }>(staffToken, `/api/v1/patients/${user.id}/documents`);
    const resources = await api<{ resources: { id: string }[] }>(staffToken, `/api/v1/patients/${user.id}/resources`);
    documents[user.email] = { documents: shared.documents.map((d) => d.id).sort(), resources: resources.resources.map((r) => r.id).sort() };
    const assigned = await api<{ screenings: { instrument: string; result: { score: number } | null }[] }>(
      staffToken,
      `/api/v1/patients/${user.id}/screenings`,
    );
    screenings[user.email] = assigned.screenings.map((x) => `${x.instrument}:${x.result?.score ?? 'open'}`).sort();
    const given = await api<{ consents: { templateId: string; state: string; release: { state: string } | null }[] }>(
      staffToken,
      `/api/v1/patients/${user.id}/consents`,
    );
    consents[user.email] = given.consents.map((c) => `${c.templateId}:${c.state}${c.release ? `:${c.release.state}` : ''}`).sort();
    const theirForms = await api<{ forms: { definitionKey: string; state: string }[] }>(staffToken, `/api/v1/patients/${user.id}/forms`);
    const surveys = await api<{ surveys: { definitionKey: string }[] }>(staffToken, `/api/v1/patients/${user.id}/surveys`);
    forms[user.email] = {
      forms: theirForms.forms.map((f) => `${f.definitionKey}:${f.state}`).sort(),
      surveys: surveys.surveys.map((x) => x.definitionKey),
    };
    type Coverages = { coverages: { id: string; priority: string; verification: string; subscriber: { relationship: string } }[] };
    const { coverages } = await api<Coverages>(staffToken, `/api/v1/patients/${user.id}/insurance`);
    insurance[user.email] = coverages.map((c) => `${c.id} ${c.priority} ${c.verification} ${c.subscriber.relationship}`);
    const invoices = await api<{ invoices: { id: string }[] }>(
      staffToken,
      `/api/v1/patients/${user.id}/billing/invoices?outstanding=false`,
    );
    const summary = await api<{ balance: { amountMinor: number } }>(staffToken, `/api/v1/patients/${user.id}/billing/summary`);
    billing[user.email] = { invoices: invoices.invoices.map((i) => i.id).sort(), balanceMinor: summary.balance.amountMinor };
    type Estimates = { estimates: { id: string; version: number; status: string }[] };
    const listed = await api<Estimates>(staffToken, `/api/v1/patients/${user.id}/billing/estimates`);
    estimates[user.email] = listed.estimates.map((e) => `${e.id} ${e.version} ${e.status}`);
    const { plans } = await api<{ plans: { id: string }[] }>(staffToken, `/api/v1/patients/${user.id}/billing/payment-plans`);
    paymentPlans[user.email] = plans.map((p) => p.id).sort();
  }
  return {
    organisation,
    users: users.filter((u) => u.email.endsWith(`@${domain}`)),
    contacts,
    appointments,
    documents,
    insurance,
    billing,
    estimates,
    paymentPlans,
    screenings,
    consents,
    forms,
  };
}

let first: DemoState;

beforeAll(async () => {
  ports = Object.fromEntries(await Promise.all(portNames.map(async (n) => [n, await freePort()] as const))) as typeof ports;
});

afterAll(async () => {
  // The test's own demo clinic: its Keycloak users and databases.
  const admin = await adminAccessToken();
  const headers = { authorization: `Bearer ${admin}` };
  const users = (await (
    await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}/users?search=${encodeURIComponent(`@${domain}`)}&max=50`, { headers })
  ).json()) as { id: string; email?: string }[];
  for (const user of users.filter((u) => u.email?.endsWith(`@${domain}`)))
    await fetch(`${env.keycloakUrl}/admin/realms/${env.realm}/users/${user.id}`, { method: 'DELETE', headers });
  const db = await connectMongo({ url: env.mongoUrl, dbName: `${dbPrefix}_auth`, logger: createLogger('test', 'silent') });
  for (const name of ['auth', 'contacts', 'gateway', 'audit', 'appointments', 'notifications', 'documents', 'insurance', 'billing'])
    await db
      .useDb(`${dbPrefix}_${name}`)
      .dropDatabase()
      .catch(() => {});
  await db.close();
});

describe('make dev', () => {
  it(
    'opens a demo clinic whose printed accounts log in at once, with example contacts; SIGTERM to make stops everything',
    { timeout: STEP_MS },
    async () => {
      const dev = await startMakeDev();
      try {
        expect(dev.output()).toContain(`http://127.0.0.1:${ports.http}`);
        expect(dev.people.map((p) => p.role)).toEqual(['staff', 'patient', 'patient', 'guardian']);
        for (const person of dev.people) await token(person);

        first = await demoState(dev);
        expect(first.organisation).toMatchObject({ name: 'Harbourview Behavioural Health', hasLogo: true, hasHandbook: true });
        const patients = first.users.filter((u) => u.kind === 'patient');
        const guardians = first.users.filter((u) => u.kind === 'guardian');
        expect(patients).toHaveLength(2);
        expect(guardians).toHaveLength(1);
        expect([...guardians[0]!.patientIds].sort()).toEqual(patients.map((p) => p.id).sort());
        for (const patient of patients) expect(first.contacts[patient.email]).toHaveLength(2);
        // Appointments ahead and behind for each patient: Riley's include a no-show.
        for (const patient of patients) {
          expect(first.appointments[patient.email]!.upcoming.length).toBeGreaterThan(0);
          expect(first.appointments[patient.email]!.past.length).toBeGreaterThan(0);
        }
        expect(first.appointments[`riley.morgan@${domain}`]!.pastStatuses).toEqual(['completed', 'no_show']);
        // One PHQ-9 to complete and a GAD-7 completed (score 7), for the first demo patient.
        expect(first.screenings[`riley.morgan@${domain}`]).toEqual(['gad7:7', 'phq9:open']);
        // Consents: one to sign and a release naming a contact for each; Riley signed a telehealth consent.
        expect(first.consents[`riley.morgan@${domain}`]).toEqual([
          'consent-to-treatment:outstanding',
          'release-of-information:outstanding:pending',
          'telehealth:signed',
        ]);
        // The intake questionnaire to do for each patient, and the demographics form offered to all.
        for (const patient of patients) expect(first.forms[patient.email]).toEqual({ forms: ['intake:to_do'], surveys: ['demographics'] });
        // Insurance: Riley's own plan verified by the clinic; Sam's through their guardian, waiting.
        expect(first.insurance[`riley.morgan@${domain}`]!.map((c) => c.split(' ').slice(1).join(' '))).toEqual(['primary verified self']);
        expect(first.insurance[`sam.morgan@${domain}`]!.map((c) => c.split(' ').slice(1).join(' '))).toEqual([
          'primary submitted guardian',
        ]);
        // A treatment plan for each patient, and one resource for every patient of the clinic.
        for (const patient of patients) {
          expect(first.documents[patient.email]!.documents).toHaveLength(1);
          expect(first.documents[patient.email]!.resources).toHaveLength(1);
        }
        // Bills to pay: Riley's two invoices, partly paid at the front desk; Sam's one.
        expect(first.billing[`riley.morgan@${domain}`]).toMatchObject({ balanceMinor: 28_500 });
        expect(first.billing[`riley.morgan@${domain}`]!.invoices).toHaveLength(2);
        // Sam's bill is in a payment plan whose first instalment is a week ahead: nothing is due yet.
        expect(first.billing[`sam.morgan@${domain}`]).toMatchObject({ balanceMinor: 0 });
        expect(first.paymentPlans[`sam.morgan@${domain}`]).toHaveLength(1);
        expect(first.paymentPlans[`riley.morgan@${domain}`]).toEqual([]);
        // A Good Faith Estimate for Riley to review and approve.
        expect(first.estimates[`riley.morgan@${domain}`]!.map((e) => e.split(' ').slice(1).join(' '))).toEqual(['1 awaiting_decision']);
        expect(first.estimates[`sam.morgan@${domain}`]).toEqual([]);
      } finally {
        // What the issue found: make forwards SIGTERM to dev.sh only, which must stop the services.
        process.kill(dev.child.pid!, 'SIGTERM');
        expect(await leftRunning(dev)).toEqual([]);
      }
      expect(await portAnswers(ports.http)).toBe(false);
      expect(await portAnswers(ports.mail)).toBe(false);
    },
  );

  it('shows each welcome email in a browser page of its own (development only)', { timeout: STEP_MS }, async () => {
    const patientEmail = `riley.morgan@${domain}`;
    const [welcome] = await waitForEmails(patientEmail, 1, 20_000, WELCOME);
    const dev = await startMakeDev();
    try {
      const inbox = await fetch(`http://127.0.0.1:${ports.mail}/`);
      expect(inbox.headers.get('content-type')).toContain('text/html');
      const list = await inbox.text();
      expect(list).toContain(patientEmail);
      expect(list).toContain(`/message/${welcome!.ID}`);
      const page = await (await fetch(`http://127.0.0.1:${ports.mail}/message/${welcome!.ID}`)).text();
      expect(page).toContain(welcome!.Subject.replaceAll('&', '&amp;').replaceAll("'", '&#39;'));
      expect(page).toContain('<iframe');
      expect(page).toContain('Harbourview Behavioural Health');
      // The clinic's logo, an inline part of the email, shows in the page too.
      const logo = /\/message\/[\w-]+\/part\/[\w.-]+/.exec(page);
      expect(logo).not.toBeNull();
      const image = await fetch(`http://127.0.0.1:${ports.mail}${logo![0]}`);
      expect(image.headers.get('content-type')).toMatch(/^image\//);
    } finally {
      // A process supervisor's way: SIGINT to the whole process group.
      process.kill(-dev.child.pid!, 'SIGINT');
      expect(await leftRunning(dev)).toEqual([]);
    }
  });

  it('creates nothing twice when started again, and stops on SIGTERM to its process group', { timeout: STEP_MS }, async () => {
    const dev = await startMakeDev();
    try {
      const again = await demoState(dev);
      expect(again.users.map((u) => u.email).sort()).toEqual(first.users.map((u) => u.email).sort());
      expect(again.contacts).toEqual(first.contacts);
      expect(again.appointments).toEqual(first.appointments);
      expect(again.insurance).toEqual(first.insurance);
      expect(again.documents).toEqual(first.documents);
      expect(again.screenings).toEqual(first.screenings);
      expect(again.consents).toEqual(first.consents);
      expect(again.forms).toEqual(first.forms);
      expect(again.billing).toEqual(first.billing);
      expect(again.paymentPlans).toEqual(first.paymentPlans);
      // The profile was not saved again (each save raises its version).
      expect(again.organisation.version).toBe(first.organisation.version);
      for (const user of again.users.filter((u) => u.kind !== 'staff'))
        expect(await waitForEmails(user.email, 1, 20_000, WELCOME)).toHaveLength(1);
    } finally {
      process.kill(-dev.child.pid!, 'SIGTERM');
      expect(await leftRunning(dev)).toEqual([]);
    }
  });

  it('stops everything on Ctrl-C in a terminal', { timeout: STEP_MS }, async () => {
    const dev = await startMakeDev({ terminal: true });
    dev.child.stdin!.write('\x03');
    expect(await leftRunning(dev)).toEqual([]);
    expect(dev.output()).toContain('stopped.');
  });
});
