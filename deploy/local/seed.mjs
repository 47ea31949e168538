// `make dev`'s demo clinic: its profile, logo and handbook, a staff member, two patients and a
// guardian of both, and example data for every area that exists (contacts, appointments, documents, forms, consents, insurance, billing), so a
// newcomer can log in at once, with appointments ahead and behind (a video visit opening within minutes of the seed).
// Everything goes through the real APIs: Keycloak's admin API for the staff member
// (staff are never invited) and for the demo passwords, the gateway's staff API for the rest, as
// clinic staff would do it. Idempotent: each step first looks whether its result is there, so a
// second run creates nothing (contacts also carry idempotency keys, should a run be cut short).
//
// Development only: the passwords are printed and fixed. Prints the banner lines for dev.sh on
// stdout and what it did on stderr.
//   PUBLIC_URL (the gateway), KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_ADMIN_USER/_PASSWORD;
//   DEMO_CLINIC_ID and DEMO_EMAIL_DOMAIN make a clinic of other people (a test's own).
import { readFile } from 'node:fs/promises';

const gateway = (process.env.PUBLIC_URL ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const keycloak = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
const realm = process.env.KEYCLOAK_REALM ?? 'portico';
const assets = new URL('./demo-clinic/', import.meta.url);
const domain = process.env.DEMO_EMAIL_DOMAIN ?? 'harbourview.test';

export const demoClinic = {
  clinicId: process.env.DEMO_CLINIC_ID ?? 'demo-clinic',
  profile: {
    name: 'Harbourview Behavioural Health',
    address: { line1: '12 Harbour Street', line2: 'Suite 3', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' },
    phone: '+12075550142',
    email: `frontdesk@${domain}`,
    hours: ['Mon–Thu 8:00–19:00', 'Fri 8:00–16:00', 'Sat–Sun closed'],
    welcomeMessage:
      'Welcome to Harbourview. This is a demo clinic made by make dev: nothing here is real.\n\n' +
      'Use the portal to see your appointments, join video visits and keep your contacts up to date; documents and billing follow.',
    portalUrl: gateway,
    timeZone: 'America/New_York',
  },
  staff: { email: `dana.reyes@${domain}`, givenName: 'Dana', familyName: 'Reyes', password: 'demo-staff-password' },
  patients: [
    {
      email: `riley.morgan@${domain}`,
      givenName: 'Riley',
      familyName: 'Morgan',
      dateOfBirth: '1991-04-22',
      password: 'demo-patient-password',
    },
    {
      email: `sam.morgan@${domain}`,
      givenName: 'Sam',
      familyName: 'Morgan',
      dateOfBirth: '2013-09-05',
      password: 'demo-patient2-password',
    },
  ],
  // Guardian of both patients.
  guardian: { email: `jordan.morgan@${domain}`, givenName: 'Jordan', familyName: 'Morgan', password: 'demo-guardian-password' },
  contacts: {
    riley: [
      { name: 'Jordan Morgan', relationship: 'Parent', phone: '+12075550177', email: `jordan.morgan@${domain}`, purposes: ['emergency'] },
      {
        name: 'Dr. Priya Shah',
        relationship: 'Family doctor',
        phone: '+12075550123',
        purposes: ['release_of_information'],
        notes: 'May receive visit summaries.',
      },
    ],
    sam: [
      { name: 'Jordan Morgan', relationship: 'Parent', phone: '+12075550177', purposes: ['emergency', 'release_of_information'] },
      { name: 'Casey Lin', relationship: 'School counsellor', email: 'casey.lin@school.test', purposes: ['other'] },
    ],
  },
};

// Insurance (seed step 8): Riley's own plan, verified by the clinic; Sam's through Jordan, their
// guardian, still waiting for the clinic. No card photos: the demo carries no pictures of cards.
demoClinic.insurance = {
  riley: {
    details: {
      payerName: 'Blue Cross Blue Shield of Maine',
      planName: 'Anthem Blue Access PPO',
      planType: 'ppo',
      memberId: 'YRM123456789',
      groupNumber: '200417',
      subscriber: { relationship: 'self' },
      priority: 'primary',
      effectiveDate: '2026-01-01',
      copay: { amountMinor: 2500, currencyCode: 'USD' },
    },
    verify: true,
  },
  sam: {
    details: {
      payerName: 'Harvard Pilgrim Health Care',
      planName: 'HMO Choice',
      planType: 'hmo',
      memberId: 'HPH55501234',
      groupNumber: 'G-7781',
      subscriber: { relationship: 'guardian', name: 'Jordan Morgan', dateOfBirth: '1981-05-14' },
      priority: 'primary',
      effectiveDate: '2026-03-01',
      copay: { amountMinor: 3000, currencyCode: 'USD' },
    },
    verify: false,
  },
};

const note = (message) => process.stderr.write(`seed     | ${message}\n`);

async function expectOk(response, what, ...also) {
  if (response.ok || also.includes(response.status)) return response;
  // The body is Keycloak's or the gateway's problem description: no password is in it.
  throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
}

// ---- Keycloak (the administrator's side) ----

let adminToken;
async function admin(path, init = {}) {
  adminToken ??= (
    await (
      await expectOk(
        await fetch(`${keycloak}/realms/master/protocol/openid-connect/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'password',
            client_id: 'admin-cli',
            username: process.env.KEYCLOAK_ADMIN_USER ?? 'admin',
            password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'portico-dev-admin',
          }),
        }),
        'Keycloak admin login',
      )
    ).json()
  ).access_token;
  return fetch(`${keycloak}/admin/realms/${realm}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
  });
}

const userByUsername = async (username) =>
  (await (await expectOk(await admin(`/users?username=${encodeURIComponent(username)}&exact=true`), 'find user')).json())[0];

/** A token for a demo user, or undefined when the demo password does not (yet) work. */
async function login(person) {
  const response = await fetch(`${keycloak}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'portico-gateway',
      client_secret: 'portico-gateway-dev-secret',
      username: person.email,
      password: person.password,
      scope: 'openid',
    }),
  });
  return response.ok ? (await response.json()).access_token : undefined;
}

/**
 * An invited user has a temporary password (in their welcome email) and must change it at first
 * login; a demo user gets the known password instead, with nothing to do first. Only when the
 * known one does not work yet: Keycloak refuses a password used recently (passwordHistory).
 */
async function ensureDemoPassword(person, userId) {
  if (await login(person)) return false;
  await expectOk(
    await admin(`/users/${userId}/reset-password`, {
      method: 'PUT',
      body: JSON.stringify({ type: 'password', value: person.password, temporary: false }),
    }),
    `password of ${person.email}`,
  );
  const {
    userProfileMetadata: _metadata,
    access: _access,
    ...user
  } = await (await expectOk(await admin(`/users/${userId}`), 'read user')).json();
  await expectOk(await admin(`/users/${userId}`, { method: 'PUT', body: JSON.stringify({ ...user, requiredActions: [] }) }), 'update user');
  return true;
}

async function ensureStaff(person, clinicId) {
  let user = await userByUsername(person.email);
  if (!user) {
    await expectOk(
      await admin('/users', {
        method: 'POST',
        body: JSON.stringify({
          username: person.email,
          email: person.email,
          emailVerified: true,
          enabled: true,
          firstName: person.givenName,
          lastName: person.familyName,
          attributes: { clinic_id: [clinicId] },
          credentials: [{ type: 'password', value: person.password, temporary: false }],
        }),
      }),
      'create staff user',
    );
    user = await userByUsername(person.email);
    note(`created staff member ${person.email}`);
  }
  const role = await (await expectOk(await admin('/roles/staff'), 'staff role')).json();
  // Adding a role the user already has changes nothing.
  await expectOk(
    await admin(`/users/${user.id}/role-mappings/realm`, { method: 'POST', body: JSON.stringify([role]) }),
    'assign staff role',
  );
  await ensureDemoPassword(person, user.id);
  return user.id;
}

// ---- The gateway (the staff member's side) ----

function staffApi(token) {
  return async (method, path, body, headers = {}) => {
    const isJson = body !== undefined && !Buffer.isBuffer(body) && !(body instanceof globalThis.FormData);
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(isJson ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body === undefined ? {} : { body: isJson ? JSON.stringify(body) : body }),
    });
    // A read of something not made yet (the organisation before its first save) is undefined.
    await expectOk(response, `${method} ${path}`, ...(method === 'GET' ? [404] : []));
    return response.status === 204 || response.status === 404 ? undefined : response.json();
  };
}

async function ensureOrganisation(api, profile) {
  let organisation = await api('GET', '/api/v1/organisation');
  const differs = Object.entries(profile).some(([key, value]) => JSON.stringify(organisation?.[key]) !== JSON.stringify(value));
  if (differs) {
    organisation = await api('PUT', '/api/v1/staff/organisation', { ...profile, phoneRegion: 'US' });
    note(`saved the profile of ${profile.name}`);
  }
  if (!organisation.hasLogo) {
    await api('PUT', '/api/v1/staff/organisation/logo', await readFile(new URL('logo.svg', assets)), { 'content-type': 'image/svg+xml' });
    note('uploaded the logo');
  }
  if (!organisation.hasHandbook) {
    await api('PUT', '/api/v1/staff/organisation/handbook', await readFile(new URL('handbook.pdf', assets)), {
      'content-type': 'application/pdf',
      'x-file-name': 'Harbourview client handbook.pdf',
    });
    note('uploaded the client handbook');
  }
}

async function ensureInvited(api, person, kind, patientIds = []) {
  const { users } = await api('GET', '/api/v1/staff/users');
  const existing = users.find((u) => u.email === person.email);
  if (existing) return existing;
  const { invitation, welcomeEmailSent } = await api('POST', '/api/v1/staff/invitations', {
    email: person.email,
    givenName: person.givenName,
    familyName: person.familyName,
    kind,
    ...(kind === 'guardian' ? { patientIds } : {}),
    ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : {}),
  });
  note(`invited ${kind} ${person.email}${welcomeEmailSent ? ' (welcome email sent)' : ' (welcome email NOT sent)'}`);
  return { id: invitation.userId, patientIds: invitation.patientIds };
}

async function ensureContacts(api, patientId, contacts, slug) {
  const { contacts: existing } = await api('GET', `/api/v1/patients/${patientId}/contacts`);
  for (const [index, contact] of contacts.entries()) {
    if (existing.some((c) => c.name === contact.name)) continue;
    await api('POST', `/api/v1/patients/${patientId}/contacts`, contact, { 'idempotency-key': `demo-seed-${slug}-${index}` });
    note(`added contact ${contact.name} for ${slug}`);
  }
}

/** The clinic's wall-clock time (YYYY-MM-DDTHH:MM) `days` from today at `hour`:`minute`, or `minutes` from now. */
function clinicTime({ days = 0, hour, minute = 0, minutes }) {
  const zone = demoClinic.profile.timeZone;
  const at = new Date(Date.now() + (minutes ?? 0) * 60_000 + days * 86_400_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (minutes !== undefined) {
    // Rounded up to the next five minutes, as a front desk would book it.
    const total = Math.ceil((Number(parts.hour) * 60 + Number(parts.minute)) / 5) * 5;
    return `${date}T${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
  }
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const plusMinutes = (local, minutes) => {
  const [date, time] = local.split('T');
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m + minutes;
  return `${date}T${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

/**
 * Documents for a demo patient: a treatment plan shared with them, once (a patient who has any
 * shared document is left as they are).
 */
async function ensureDocuments(api, patientId, slug) {
  const { documents } = await api('GET', `/api/v1/patients/${patientId}/documents`);
  if (documents.length > 0) return;
  const query = new URLSearchParams({
    kind: 'treatment_plan',
    title: 'Treatment plan',
    documentDate: clinicTime({ days: -7, hour: 12 }).slice(0, 10),
    author: 'Dr Alex Morgan',
  });
  await api('POST', `/api/v1/staff/patients/${patientId}/documents?${query}`, await readFile(new URL('treatment-plan.pdf', assets)), {
    'content-type': 'application/pdf',
    'x-file-name': 'Treatment plan.pdf',
  });
  note(`shared a treatment plan with ${slug}`);
}

/** A resource for every patient of the clinic, once (looked for in the first patient's list). */
async function ensureClinicResource(api, patientId) {
  const { resources } = await api('GET', `/api/v1/patients/${patientId}/resources`);
  if (resources.some((r) => r.audience === 'clinic')) return;
  await api('POST', '/api/v1/staff/resources', {
    title: 'Sleep well: a short guide',
    description: 'Simple habits that help most people sleep better.',
    linkUrl: 'https://www.nhs.uk/every-mind-matters/mental-wellbeing-tips/how-to-fall-asleep-faster-and-sleep-better/',
  });
  note('shared a resource with every patient of the clinic');
}

/**
 * Screenings for a demo patient, once (a patient who has any is left as they are): a GAD-7 the
 * patient completed (score 7, mild) and a PHQ-9 still to complete in Resources.
 */
async function ensureScreenings(api, patientApi, patientId, slug) {
  const base = `/api/v1/patients/${patientId}/screenings`;
  const { screenings } = await api('GET', base);
  if (screenings.length > 0) return;
  const { screening: gad7 } = await api('POST', `/api/v1/staff/patients/${patientId}/screenings`, { instrument: 'gad7' });
  // The answers are the patient's: only they (or a guardian) submit them.
  await patientApi('POST', `${base}/${gad7.id}/answers`, { answers: [1, 1, 2, 1, 0, 1, 1] });
  await api('POST', `/api/v1/staff/patients/${patientId}/screenings`, { instrument: 'phq9' });
  note(`assigned ${slug} a PHQ-9 and recorded a completed GAD-7`);
}

/**
 * Consents for a demo patient, once (a patient who has any is left as they are): a consent to
 * treatment waiting for a signature (the red badge) and a release of information naming the
 * contact they keep for releases; for the first patient also a telehealth consent they signed (typed name), so its
 * signed PDF is there to download and verify.
 */
async function ensureConsents(api, patientApi, patientId, slug, person) {
  const base = `/api/v1/patients/${patientId}/consents`;
  const { consents } = await api('GET', base);
  if (consents.length > 0) return;
  const assign = (body) => api('POST', `/api/v1/staff/patients/${patientId}/consents`, body);
  await assign({ templateId: 'consent-to-treatment' });
  const { contacts } = await api('GET', `/api/v1/patients/${patientId}/contacts`);
  const named = contacts.find((c) => c.purposes.includes('release_of_information')) ?? contacts[0];
  if (named) {
    const expiresOn = `${new Date().getUTCFullYear() + 1}-12-31`;
    await assign({
      templateId: 'release-of-information',
      release: { contactId: named.id, scope: 'Attendance and treatment progress', expiresOn },
    });
  }
  if (patientApi) {
    const { consent } = await assign({ templateId: 'telehealth' });
    const { disclosure } = await patientApi('GET', `${base}/${consent.id}`);
    await patientApi('POST', '/api/v1/electronic-records-disclosure/acceptance', { version: disclosure.version });
    await patientApi('POST', `${base}/${consent.id}/signature`, { typedName: `${person.givenName} ${person.familyName}` });
  }
  note(`assigned ${slug} consents${patientApi ? ' and signed a telehealth consent' : ''}`);
}

/**
 * The clinic's example forms (definitions kept in deploy/local/forms/): the intake questionnaire
 * and the demographics form, published (the same JSON again publishes nothing), and demographics
 * offered to every patient as an additional survey.
 */
async function ensureFormDefinitions(api) {
  for (const key of ['intake', 'demographics']) {
    const survey = JSON.parse(await readFile(new URL(`./forms/${key}.json`, import.meta.url), 'utf8'));
    await api('PUT', `/api/v1/staff/forms/definitions/${key}`, { survey });
  }
  const { definitions } = await api('GET', '/api/v1/staff/forms/definitions');
  if (!definitions.find((d) => d.key === 'demographics')?.offered) {
    await api('POST', '/api/v1/staff/forms/definitions/demographics/offer');
    note('offered the demographics form to every patient');
  }
}

/** The intake questionnaire assigned to a demo patient, once (a patient who has any form is left as they are). */
async function ensureForms(api, patientId, slug) {
  const { forms } = await api('GET', `/api/v1/patients/${patientId}/forms`);
  if (forms.length > 0) return;
  await api('POST', `/api/v1/staff/patients/${patientId}/forms`, { definitionKey: 'intake' });
  note(`assigned ${slug} the intake questionnaire`);
}

/**
 * Appointments for a demo patient, made only when the patient has none of that kind yet (so a
 * second run makes nothing): visits ahead, booked as the front desk would, and visits behind,
 * recorded with how they went.
 */
async function ensureAppointments(api, patientId, slug, clinicianId, plan) {
  const base = `/api/v1/patients/${patientId}/appointments`;
  const { appointments: upcoming } = await api('GET', `${base}?period=upcoming`);
  if (upcoming.length === 0)
    for (const [index, visit] of plan.upcoming.entries()) {
      const details = { clinicianId, ...visit, end: plusMinutes(visit.start, visit.minutes), minutes: undefined };
      delete details.minutes;
      try {
        await api('POST', `/api/v1/staff/patients/${patientId}/appointments`, details, {
          'idempotency-key': `demo-seed-${slug}-visit-${visit.start.replace(/\D/g, '')}-${index}`,
        });
        note(`booked ${visit.serviceType} for ${slug} at ${visit.start}`);
      } catch (error) {
        // A time the clinic's clock skips (a daylight-saving night) or one taken: the rest still come.
        note(`could not book ${visit.serviceType} for ${slug} at ${visit.start}: ${error.message}`);
      }
    }
  const { appointments: past } = await api('GET', `${base}?period=past`);
  if (past.length === 0)
    for (const [index, visit] of plan.past.entries()) {
      const details = { clinicianId, ...visit, end: plusMinutes(visit.start, visit.minutes) };
      delete details.minutes;
      await api('POST', `/api/v1/staff/patients/${patientId}/appointments/past-visits`, details, {
        'idempotency-key': `demo-seed-${slug}-past-${visit.start.replace(/\D/g, '')}-${index}`,
      });
      note(`recorded a past visit of ${slug} at ${visit.start} (${visit.outcome})`);
    }
}

/**
 * Billing for a demo patient, made only when the patient has no invoice yet: two invoices of past
 * sessions (CPT codes, a telehealth modifier) and, for some, a payment taken at the front desk,
 * so the Billing page shows a balance, an invoice partly paid and a receipt. Payments online go
 * through the sandbox processor (test card 4242 4242 4242 4242).
 */
async function ensureBilling(api, patientId, slug, plan) {
  const { invoices } = await api('GET', `/api/v1/patients/${patientId}/billing/invoices?outstanding=false&pageSize=1`);
  if (invoices.length > 0) return;
  const usd = (amountMinor) => ({ amountMinor, currency: 'USD' });
  for (const [index, invoice] of plan.invoices.entries()) {
    const lines = invoice.map(({ daysAgo, priceMinor, ...line }) => ({
      ...line,
      dateOfService: clinicTime({ days: -daysAgo, hour: 9 }).split('T')[0],
      unitPrice: usd(priceMinor),
    }));
    await api(
      'POST',
      `/api/v1/staff/patients/${patientId}/billing/invoices`,
      { lines },
      { 'idempotency-key': `demo-seed-${slug}-invoice-${index}` },
    );
    note(`invoiced ${slug} for ${lines.length} service(s)`);
  }
  if (plan.frontDeskPaymentMinor) {
    await api(
      'POST',
      `/api/v1/staff/patients/${patientId}/billing/payments`,
      { amount: usd(plan.frontDeskPaymentMinor), method: 'card_terminal', reference: '4242' },
      { 'idempotency-key': `demo-seed-${slug}-payment-0` },
    );
    note(`recorded a front-desk payment for ${slug}`);
  }
}

/**
 * Riley's Good Faith Estimate for the coming course of therapy (No Surprises Act), made only when
 * Riley has none yet: the therapist's weekly sessions and the intake's follow-up, with ICD-10 and
 * CPT codes, so Billing → Estimates has one to review and approve. The NPIs are valid examples.
 */
async function ensureEstimate(api, patientId, slug) {
  const { estimates } = await api('GET', `/api/v1/patients/${patientId}/billing/estimates`);
  if (estimates.length > 0) return;
  const location = { line1: '12 Harbour Street', line2: 'Suite 3', city: 'Portland', region: 'ME', postalCode: '04101', countryCode: 'US' };
  const usd = (amountMinor) => ({ amountMinor, currency: 'USD' });
  await api(
    'POST',
    `/api/v1/staff/patients/${patientId}/billing/estimates`,
    {
      patientName: 'Riley Morgan',
      patientDateOfBirth: '2009-04-17',
      primaryService: 'Outpatient psychotherapy, 12 weekly sessions',
      primaryServiceDate: clinicTime({ days: 14, hour: 9 }).split('T')[0],
      providers: [
        { name: 'Dana Reyes, LCSW', npi: '1992753883', taxId: '12-3456789', location },
        { name: 'Harbourview Behavioural Health', npi: '1234567893', taxId: '12-3456789', location },
      ],
      items: [
        {
          providerNpi: '1992753883',
          serviceCode: '90834',
          modifiers: [],
          description: 'Psychotherapy, 45 minutes',
          diagnosisCodes: ['F41.1'],
          units: 12,
          unitCharge: usd(14_000),
        },
        {
          providerNpi: '1234567893',
          serviceCode: '96127',
          modifiers: [],
          description: 'Brief emotional/behavioural assessment (PHQ-9, GAD-7)',
          diagnosisCodes: ['F41.1', 'F32.A'],
          units: 3,
          unitCharge: usd(1_500),
        },
      ],
    },
    { 'idempotency-key': `demo-seed-${slug}-estimate-0` },
  );
  note(`issued ${slug} a Good Faith Estimate`);
}

/** The demo clinic's bills: psychotherapy (90834, 90837), a telehealth visit (modifier 95), an intake (90791). */
const billingPlans = {
  riley: {
    invoices: [
      [
        {
          daysAgo: 20,
          procedureCode: '90791',
          modifiers: [],
          description: 'Psychiatric diagnostic evaluation (intake)',
          units: 1,
          priceMinor: 22_000,
        },
      ],
      [
        {
          daysAgo: 6,
          procedureCode: '90834',
          modifiers: ['95'],
          description: 'Psychotherapy, 45 minutes (video visit)',
          units: 1,
          priceMinor: 14_000,
        },
        { daysAgo: 6, procedureCode: '90785', modifiers: [], description: 'Interactive complexity', units: 1, priceMinor: 2_500 },
      ],
    ],
    frontDeskPaymentMinor: 10_000,
  },
  sam: {
    invoices: [
      [{ daysAgo: 12, procedureCode: '90837', modifiers: [], description: 'Psychotherapy, 60 minutes', units: 1, priceMinor: 18_000 }],
    ],
    frontDeskPaymentMinor: 0,
  },
};

/**
 * A payment plan for a demo patient, made once (when they have none): what they owe in monthly
 * instalments from a week ahead, so Billing shows the next instalment and Payment Plans a schedule.
 */
async function ensurePaymentPlan(api, patientId, slug, terms) {
  if (!terms) return;
  const { plans } = await api('GET', `/api/v1/patients/${patientId}/billing/payment-plans`);
  if (plans.length > 0) return;
  await api(
    'POST',
    `/api/v1/staff/patients/${patientId}/billing/payment-plans`,
    { ...terms, firstDueOn: clinicTime({ days: 7, hour: 9 }).split('T')[0] },
    { 'idempotency-key': `demo-seed-${slug}-payment-plan-0` },
  );
  note(`made a payment plan for ${slug}`);
}

/** Sam pays his bill in three monthly instalments. */
const demoPaymentPlans = { sam: { instalmentCount: 3, frequency: 'monthly' } };

/** The demo clinic's visits, relative to now so there is always something ahead and behind. */
function appointmentPlans() {
  const room = 'Room 2, 12 Harbour Street';
  const video = 'https://meet.harbourview.test/demo-video-visit';
  return {
    riley: {
      upcoming: [
        // Opens for joining straight away: the join window starts 15 minutes before.
        {
          serviceType: 'Individual therapy, 45 min',
          mode: 'telehealth',
          meetingUrl: video,
          start: clinicTime({ minutes: 10 }),
          minutes: 45,
          noteForPatient: 'Find a quiet room; test your camera first.',
        },
        {
          serviceType: 'Individual therapy, 50 min',
          mode: 'in_person',
          location: room,
          start: clinicTime({ days: 2, hour: 10 }),
          minutes: 50,
          noteForPatient: 'Please bring your medication list.',
        },
        {
          serviceType: 'Medication review',
          mode: 'telehealth',
          meetingUrl: video,
          start: clinicTime({ days: 9, hour: 16 }),
          minutes: 30,
          noteForPatient: '',
        },
      ],
      past: [
        {
          serviceType: 'Intake assessment',
          mode: 'in_person',
          location: room,
          start: clinicTime({ days: -14, hour: 10 }),
          minutes: 60,
          noteForPatient: '',
          outcome: 'completed',
        },
        {
          serviceType: 'Individual therapy, 50 min',
          mode: 'in_person',
          location: room,
          start: clinicTime({ days: -7, hour: 15 }),
          minutes: 50,
          noteForPatient: '',
          outcome: 'no_show',
        },
      ],
    },
    sam: {
      upcoming: [
        {
          serviceType: 'Family session, 60 min',
          mode: 'in_person',
          location: room,
          start: clinicTime({ days: 2, hour: 14 }),
          minutes: 60,
          noteForPatient: 'Both parents are welcome.',
        },
      ],
      past: [
        {
          serviceType: 'Intake assessment',
          mode: 'telehealth',
          meetingUrl: video,
          start: clinicTime({ days: -10, hour: 11 }),
          minutes: 60,
          noteForPatient: '',
          outcome: 'completed',
        },
      ],
    },
  };
}

async function ensureInsurance(api, patientId, slug, plan) {
  if (!plan) return;
  const base = `/api/v1/patients/${patientId}/insurance`;
  const { coverages } = await api('GET', base);
  if (coverages.length > 0) return;
  const form = new globalThis.FormData();
  form.set('details', JSON.stringify(plan.details));
  const { coverage } = await api('POST', base, form, { 'idempotency-key': `demo-seed-insurance-${slug}` });
  if (plan.verify) await api('POST', `/api/v1/staff/patients/${patientId}/insurance/${coverage.id}/verify`);
  note(`added ${slug}'s insurance`);
}

async function main() {
  const { clinicId, staff, patients, guardian } = demoClinic;
  const clinicianId = await ensureStaff(staff, clinicId);
  const api = staffApi(await login(staff));
  await ensureOrganisation(api, demoClinic.profile);

  await ensureFormDefinitions(api);

  const plans = appointmentPlans();
  const patientIds = [];
  for (const patient of patients) {
    const user = await ensureInvited(api, patient, 'patient');
    await ensureDemoPassword(patient, user.id);
    patientIds.push(user.id);
    const slug = patient.givenName.toLowerCase();
    await ensureContacts(api, user.id, demoClinic.contacts[slug] ?? [], slug);
    await ensureAppointments(api, user.id, slug, clinicianId, plans[slug]);
    await ensureDocuments(api, user.id, slug);
    await ensureForms(api, user.id, slug);
    await ensureInsurance(api, user.id, slug, demoClinic.insurance[slug]);
    await ensureBilling(api, user.id, slug, billingPlans[slug]);
    if (slug === 'riley') await ensureEstimate(api, user.id, slug);
    await ensurePaymentPlan(api, user.id, slug, demoPaymentPlans[slug]);
    const patientToken = patientIds.length === 1 ? await login(patient) : undefined;
    if (patientToken) await ensureScreenings(api, staffApi(patientToken), user.id, slug);
    await ensureConsents(api, patientToken ? staffApi(patientToken) : undefined, user.id, slug, patient);
  }
  await ensureClinicResource(api, patientIds[0]);
  const guardianUser = await ensureInvited(api, guardian, 'guardian', patientIds);
  for (const patientId of patientIds) {
    if (!guardianUser.patientIds.includes(patientId))
      await api('POST', `/api/v1/staff/guardians/${guardianUser.id}/patients`, { patientId });
  }
  await ensureDemoPassword(guardian, guardianUser.id);

  const row = (role, person, extra = '') => `      ${role.padEnd(9)} ${person.email.padEnd(32)} ${person.password}${extra}`;
  const names = patients.map((p) => p.givenName).join(' and ');
  console.log(
    [
      `  Demo clinic "${demoClinic.profile.name}" (development-only passwords; log in at ${gateway}):`,
      row('staff', staff),
      ...patients.map((p) => row('patient', p)),
      row('guardian', guardian, `   (guardian of ${names})`),
      '    The welcome emails show the temporary passwords the invitations made; the demo passwords replace them.',
    ].join('\n'),
  );
}

await main();
