// A stand-in for the gateway, for browser tests that need no login: it serves the built SPA
// (gateway/web/dist, SPA fallback, the gateway's CSP) and answers the gateway's API as documented
// — sessions by cookie, the CSRF header on every change, problem+json errors, If-Match, 404 for
// another family's patient — from memory. It lives only in the tests; the app has no fake data.
// The real gateway runs the same browser scenarios in walkthrough.test.ts and guardian.test.ts.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { handbookPdf, logoPng } from './fixtures.js';
import { webDist } from './paths.js';

type Role = 'patient' | 'guardian' | 'staff';
type Purpose = 'emergency' | 'release_of_information' | 'other';

export interface StandInUser {
  id: string;
  username: string;
  name: string;
  email: string;
  roles: Role[];
  patientIds: string[];
  enabled: boolean;
}

interface Contact {
  id: string;
  patientId: string;
  name: string;
  relationship: string;
  phone: string;
  email: string;
  address?: Record<string, string>;
  purposes: Purpose[];
  notes: string;
  status: 'active' | 'inactive';
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Invitation {
  id: string;
  email: string;
  name: string;
  kind: 'patient' | 'guardian';
  patientIds: string[];
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export const people = {
  patient: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e01', username: 'pat.quinn', name: 'Pat Quinn', email: 'pat.quinn@example.org' },
  milo: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e02', username: 'milo.harper', name: 'Milo Harper', email: 'milo.harper@example.org' },
  ada: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e03', username: 'ada.harper', name: 'Ada Harper', email: 'ada.harper@example.org' },
  otto: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e04', username: 'otto.berg', name: 'Otto Berg', email: 'otto.berg@example.org' },
  guardian: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e10', username: 'gwen.harper', name: 'Gwen Harper', email: 'gwen.harper@example.org' },
  staff: { id: '6f1c1d7e-3b0a-4c55-9d0e-1a2b3c4d5e20', username: 'sam.rivera', name: 'Sam Rivera', email: 'sam.rivera@clinic.example.org' },
} as const;

export type Who = 'patient' | 'guardian' | 'staff';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

const fail = (status: number, title: string, extra: Partial<Problem> = {}): never => {
  throw new HttpProblem({ status, title, ...extra });
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export class StandInGateway {
  url = '';
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private sessions = new Map<string, { who: Who; csrf: string; actingFor: string | null }>();
  users: StandInUser[] = [
    { ...people.patient, roles: ['patient'], patientIds: [], enabled: true },
    { ...people.milo, roles: ['patient'], patientIds: [], enabled: true },
    { ...people.ada, roles: ['patient'], patientIds: [], enabled: true },
    { ...people.otto, roles: ['patient'], patientIds: [], enabled: true },
    { ...people.guardian, roles: ['guardian'], patientIds: [people.milo.id, people.ada.id], enabled: true },
    { ...people.staff, roles: ['staff'], patientIds: [], enabled: true },
  ];
  organisation = {
    name: 'Riverside Family Clinic',
    address: { line1: '12 Willow Lane', line2: 'Suite 4', city: 'Springfield', region: 'IL', postalCode: '62704', countryCode: 'US' },
    phone: '+1 217 555 0142',
    email: 'frontdesk@riverside-clinic.example.org',
    hours: ['Monday to Friday: 8:00 to 18:00', 'Saturday: 9:00 to 13:00', 'Sunday: closed'],
    welcomeMessage:
      'Welcome to your patient portal. Here you can keep the people we may contact for you up to date.\n\nIf you need help, call the front desk during opening hours.',
    portalUrl: 'https://portal.riverside-clinic.example.org',
    timeZone: 'America/Chicago',
  };
  logo: { type: string; bytes: Buffer } | null = { type: 'image/png', bytes: logoPng() };
  handbook: { name: string; bytes: Buffer } | null = { name: 'riverside-client-handbook.pdf', bytes: handbookPdf('stand-in') };
  contacts: Contact[] = [];
  invitations: Invitation[] = [];

  constructor() {
    const now = new Date('2026-11-20T15:00:00Z').toISOString();
    this.contacts.push(
      this.contact(people.patient.id, {
        name: 'Jordan Quinn',
        relationship: 'Sister',
        phone: '+12175550199',
        purposes: ['emergency'],
        createdAt: now,
      }),
      this.contact(people.patient.id, {
        name: 'Alex Morgan',
        relationship: 'Lawyer',
        email: 'alex.morgan@law.example.org',
        purposes: ['release_of_information'],
        status: 'inactive',
        createdAt: now,
      }),
      this.contact(people.milo.id, {
        name: 'Grandma Rose',
        relationship: 'Grandmother',
        phone: '+12175550123',
        purposes: ['emergency'],
        createdAt: now,
      }),
      this.contact(people.ada.id, {
        name: 'Coach Lee',
        relationship: 'School counsellor',
        purposes: ['other'],
        notes: 'Weekday afternoons',
        createdAt: now,
      }),
      this.contact(people.otto.id, { name: 'Private Person', relationship: 'Friend', purposes: ['emergency'], createdAt: now }),
    );
    this.invitations.push({
      id: randomUUID(),
      email: 'new.patient@example.org',
      name: 'Nia Patel',
      kind: 'patient',
      patientIds: [],
      status: 'pending',
      invitedBy: people.staff.name,
      createdAt: now,
      expiresAt: new Date('2026-12-04T15:00:00Z').toISOString(),
    });
  }

  private contact(patientId: string, c: Partial<Contact> & { name: string; purposes: Purpose[] }): Contact {
    const at = c.createdAt ?? new Date().toISOString();
    return {
      id: randomUUID(),
      patientId,
      relationship: '',
      phone: '',
      email: '',
      notes: '',
      status: 'active',
      version: 1,
      createdAt: at,
      updatedAt: at,
      ...c,
    };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The URL that signs a browser in as one of the stand-in people and then opens `returnTo`. */
  signInUrl(who: Who, returnTo = '/'): string {
    return `${this.url}/__stand-in/sign-in?as=${who}&returnTo=${encodeURIComponent(returnTo)}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    try {
      const raw = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      let body: unknown = raw;
      if (raw.length > 0 && type.includes('application/json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          fail(400, 'The body is not valid JSON.');
        }
      }
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/auth/')) {
        this.requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      }
      if (url.pathname === '/__stand-in/sign-in') return this.signIn(url, res);
      if (url.pathname.startsWith('/auth/')) return this.auth(req, url, res);
      if (url.pathname.startsWith('/api/')) {
        const answer = await this.api(req, url, body, raw);
        if (answer === undefined) return;
        if (answer instanceof Answer) return answer.send(res);
        return json(res, 200, answer);
      }
      return await this.static(url, res);
    } catch (error) {
      if (error instanceof HttpProblem) {
        res.writeHead(error.problem.status, { 'content-type': 'application/problem+json' });
        res.end(
          JSON.stringify({ type: `https://portico.example/problems/${error.problem.status}`, requestId: randomUUID(), ...error.problem }),
        );
        return;
      }
      res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Stand-in gateway failed', status: 500, detail: String(error) }));
    }
  }

  private signIn(url: URL, res: ServerResponse): void {
    const who = (url.searchParams.get('as') ?? 'patient') as Who;
    const sid = randomUUID();
    const actingFor = who === 'patient' ? people.patient.id : who === 'guardian' ? people.milo.id : null;
    this.sessions.set(sid, { who, csrf: randomUUID(), actingFor });
    res.writeHead(303, {
      location: url.searchParams.get('returnTo') ?? '/',
      'set-cookie': `stand_in_session=${sid}; Path=/; HttpOnly; SameSite=Lax`,
    });
    res.end();
  }

  private session(req: IncomingMessage) {
    const sid = /(?:^|;\s*)stand_in_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return sid ? this.sessions.get(sid) : undefined;
  }

  private requireSession(req: IncomingMessage) {
    const session = this.session(req);
    if (!session) fail(401, 'Log in to continue.');
    if (['POST', 'PUT', 'DELETE'].includes(req.method ?? '') && req.headers['x-csrf-token'] !== session!.csrf) {
      fail(403, 'The request did not carry the session’s CSRF token.');
    }
    return session!;
  }

  private auth(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (url.pathname === '/auth/logout' && req.method === 'POST') {
      this.requireSession(req);
      const sid = /(?:^|;\s*)stand_in_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (sid) this.sessions.delete(sid);
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'stand_in_session=; Path=/; Max-Age=0' });
      res.end(JSON.stringify({ redirectTo: '/auth/login?loggedOut=1' }));
      return;
    }
    // Stand-ins for Keycloak's pages: enough for a test to see where the browser was sent.
    const title = url.pathname === '/auth/change-password' ? 'Change password (stand-in)' : 'Log in (stand-in)';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1></main></body></html>`);
  }

  private me(session: { who: Who; csrf: string; actingFor: string | null }) {
    const user = this.users.find((u) => u.id === people[session.who].id)!;
    const patientIds = session.who === 'patient' ? [user.id] : session.who === 'guardian' ? user.patientIds : [];
    const patients = patientIds.map((id) => ({ id, name: this.users.find((u) => u.id === id)?.name ?? id }));
    return {
      user: { id: user.id, username: user.username, name: user.name, email: user.email, roles: user.roles },
      patients,
      actingFor: session.actingFor,
      csrfToken: session.csrf,
    };
  }

  private mayActFor(session: { who: Who }, patientId: string): boolean {
    if (session.who === 'staff') return true;
    return this.me(session as { who: Who; csrf: string; actingFor: null }).patients.some((p) => p.id === patientId);
  }

  private async api(req: IncomingMessage, url: URL, body: unknown, raw: Buffer): Promise<unknown> {
    const session = this.requireSession(req);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let m: RegExpExecArray | null;

    if (path === '/api/v1/me' && method === 'GET') return this.me(session);
    if (path === '/api/v1/me/acting-for' && method === 'PUT') {
      const patientId = (body as { patientId?: string }).patientId ?? '';
      if (!this.mayActFor(session, patientId) || session.who === 'staff') fail(404, 'No such patient.');
      session.actingFor = patientId;
      return { actingFor: patientId };
    }
    if (path === '/api/v1/organisation' && method === 'GET') {
      return {
        ...this.organisation,
        hasLogo: Boolean(this.logo),
        hasHandbook: Boolean(this.handbook),
        handbookFileName: this.handbook?.name ?? '',
      };
    }
    if (path === '/api/v1/organisation/logo' && method === 'GET') {
      if (!this.logo) fail(404, 'The clinic has no logo.');
      return new Answer(200, this.logo!.type, this.logo!.bytes);
    }
    if (path === '/api/v1/organisation/handbook' && method === 'GET') {
      if (!this.handbook) fail(404, 'The clinic has no handbook.');
      return new Answer(200, 'application/pdf', this.handbook!.bytes, {
        'content-disposition': `attachment; filename="${this.handbook!.name}"`,
      });
    }

    if ((m = /^\/api\/v1\/patients\/([^/]+)\/contacts(?:\/([^/]+))?(?:\/(inactivate|reactivate))?$/.exec(path))) {
      const [, patientId, contactId, action] = m as unknown as [string, string, string | undefined, string | undefined];
      if (!this.mayActFor(session, patientId)) fail(404, 'No such patient.');
      if (!contactId) {
        if (method === 'GET') return { contacts: this.contacts.filter((c) => c.patientId === patientId) };
        if (method === 'POST') {
          const input = validateContact(body);
          const contact = this.contact(patientId, { ...input, createdAt: new Date().toISOString() });
          this.contacts.push(contact);
          return new Answer(201, 'application/json', Buffer.from(JSON.stringify({ contact })));
        }
      } else {
        const contact = this.contacts.find((c) => c.id === contactId && c.patientId === patientId);
        if (!contact) fail(404, 'No such contact.');
        if (!action && method === 'GET') return { contact };
        if (!action && method === 'PUT') {
          const input = validateContact(body);
          const expected = String(req.headers['if-match'] ?? '').replaceAll('"', '');
          if (expected && Number(expected) !== contact!.version) fail(412, 'The contact changed since you read it.');
          Object.assign(contact!, { relationship: '', phone: '', email: '', notes: '', address: undefined }, input, {
            version: contact!.version + 1,
            updatedAt: new Date().toISOString(),
          });
          return { contact };
        }
        if (action && method === 'POST') {
          contact!.status = action === 'inactivate' ? 'inactive' : 'active';
          contact!.version += 1;
          return { contact };
        }
      }
    }

    if (path.startsWith('/api/v1/staff/')) {
      if (session.who !== 'staff') fail(404, 'No such route.');
      if (path === '/api/v1/staff/invitations' && method === 'GET') return { invitations: this.invitations };
      if (path === '/api/v1/staff/invitations' && method === 'POST') {
        const b = body as { email?: string; givenName?: string; familyName?: string; kind?: 'patient' | 'guardian'; patientIds?: string[] };
        const errors: { field: string; message: string }[] = [];
        if (!b.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email))
          errors.push({ field: 'body.email', message: 'must match format "email"' });
        if (!b.givenName) errors.push({ field: 'body.givenName', message: 'must NOT have fewer than 1 characters' });
        if (!b.familyName) errors.push({ field: 'body.familyName', message: 'must NOT have fewer than 1 characters' });
        if (this.invitations.some((i) => i.email === b.email && i.status === 'pending')) {
          errors.push({ field: 'body.email', message: 'An invitation to this address is already pending' });
        }
        if (errors.length) fail(400, 'Some fields are missing or not valid.', { errors });
        const invitation: Invitation = {
          id: randomUUID(),
          email: b.email!,
          name: `${b.givenName} ${b.familyName}`,
          kind: b.kind ?? 'patient',
          patientIds: b.patientIds ?? [],
          status: 'pending',
          invitedBy: people.staff.name,
          createdAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        };
        this.invitations.push(invitation);
        return new Answer(201, 'application/json', Buffer.from(JSON.stringify({ invitation })));
      }
      if ((m = /^\/api\/v1\/staff\/invitations\/([^/]+)\/(resend|revoke)$/.exec(path)) && method === 'POST') {
        const invitation = this.invitations.find((i) => i.id === m![1]);
        if (!invitation) fail(404, 'No such invitation.');
        if (m[2] === 'revoke') invitation!.status = 'revoked';
        else invitation!.expiresAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
        return { invitation };
      }
      if (path === '/api/v1/staff/users' && method === 'GET') return { users: this.users };
      if ((m = /^\/api\/v1\/staff\/guardians\/([^/]+)\/patients(?:\/([^/]+))?$/.exec(path))) {
        const guardian = this.users.find((u) => u.id === m![1] && u.roles.includes('guardian'));
        if (!guardian) fail(404, 'No such guardian.');
        if (method === 'POST') {
          const patientId = (body as { patientId?: string }).patientId ?? '';
          if (!this.users.some((u) => u.id === patientId && u.roles.includes('patient'))) fail(404, 'No such patient.');
          if (!guardian!.patientIds.includes(patientId)) guardian!.patientIds.push(patientId);
          return { guardianId: guardian!.id, patientIds: guardian!.patientIds };
        }
        if (method === 'DELETE' && m[2]) {
          guardian!.patientIds = guardian!.patientIds.filter((id) => id !== m![2]);
          return new Answer(204, '', Buffer.alloc(0));
        }
      }
      if (path === '/api/v1/staff/organisation' && method === 'PUT') {
        const b = body as typeof this.organisation;
        if (!b.name)
          fail(400, 'Some fields are missing or not valid.', {
            errors: [{ field: 'body.name', message: 'must NOT have fewer than 1 characters' }],
          });
        this.organisation = { ...b };
        return {};
      }
      if (path === '/api/v1/staff/organisation/handbook' && method === 'PUT') {
        if (req.headers['content-type'] !== 'application/pdf') fail(415, 'The handbook must be a PDF.');
        this.handbook = { name: decodeURIComponent(String(req.headers['x-file-name'] ?? 'handbook.pdf')), bytes: raw };
        return {};
      }
      if (path === '/api/v1/staff/organisation/logo' && method === 'PUT') {
        const type = String(req.headers['content-type'] ?? '');
        if (!['image/png', 'image/jpeg', 'image/svg+xml'].includes(type)) fail(415, 'The logo must be PNG, JPEG or SVG.');
        this.logo = { type, bytes: raw };
        return {};
      }
    }
    return fail(404, 'No such route.');
  }

  private async static(url: URL, res: ServerResponse): Promise<void> {
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const isAsset = path.startsWith('/assets/');
    const file = isAsset ? join(webDist, path) : join(webDist, 'index.html');
    try {
      const bytes = await readFile(file);
      res.writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      });
      res.end(bytes);
    } catch {
      fail(404, 'No such file.');
    }
  }
}

class Answer {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly bytes: Buffer,
    readonly headers: Record<string, string> = {},
  ) {}
  send(res: ServerResponse) {
    res.writeHead(this.status, { ...(this.type ? { 'content-type': this.type } : {}), ...this.headers });
    res.end(this.bytes);
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const contactKeys = new Set(['name', 'relationship', 'phone', 'phoneRegion', 'email', 'address', 'purposes', 'notes']);

/** The gateway's contact schema, as far as the UI can trip over it: unknown fields, "" email, purposes. */
function validateContact(body: unknown): Omit<Contact, 'id' | 'patientId' | 'status' | 'version' | 'createdAt' | 'updatedAt'> {
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  for (const key of Object.keys(b)) if (!contactKeys.has(key)) errors.push({ field: `body.${key}`, message: 'is not a known field' });
  if (typeof b.name !== 'string' || b.name.length === 0)
    errors.push({ field: 'body.name', message: 'must NOT have fewer than 1 characters' });
  if (!Array.isArray(b.purposes) || b.purposes.length === 0)
    errors.push({ field: 'body.purposes', message: 'must NOT have fewer than 1 items' });
  if ('email' in b && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(b.email)))
    errors.push({ field: 'body.email', message: 'must match format "email"' });
  if ('phone' in b && !/^\+?[\d\s().-]{5,}$/.test(String(b.phone)))
    errors.push({ field: 'phone', message: 'is not a phone number we can call' });
  if (Array.isArray(b.purposes) && b.purposes.includes('emergency') && !b.phone)
    errors.push({ field: 'phone', message: 'is required for an emergency contact' });
  if (errors.length) fail(400, 'Some fields are missing or not valid.', { errors });
  let phone = String(b.phone ?? '');
  if (phone && !phone.startsWith('+')) phone = `+1${phone.replace(/\D/g, '')}`;
  return {
    name: String(b.name),
    relationship: String(b.relationship ?? ''),
    phone: phone.replace(/[^\d+]/g, ''),
    email: String(b.email ?? ''),
    ...(b.address ? { address: b.address as Record<string, string> } : {}),
    purposes: b.purposes as Purpose[],
    notes: String(b.notes ?? ''),
  };
}
