// The clinic's users and guardian↔patient links. Portico's record of a guardian's patients (the
// guardian_links document, written with its event) is the source; the guardian's Keycloak
// `patients` attribute is brought in step with it after every change, so the token's claim
// follows at the next refresh. A change whose Keycloak step failed is finished by retrying it.
// Patients and guardians read the names of the patients their token lets them act for.
import type {
  GetPatientRequest,
  LinkGuardianRequest,
  ListPatientsRequest,
  ListUsersRequest,
  LookUpPatientRequest,
  UnlinkGuardianRequest,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { InvitationStatus, UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { auditEvent, staffAudit } from '@portico/kit/audit';
import {
  calendarDate,
  InvalidInput,
  NotFound,
  requireUuid,
  requireUuids,
  UUID_PATTERN,
  validate,
  VersionConflict,
  type Clock,
} from '@portico/kit/domain';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import { auditStaffRead, authenticate, authoriseStaff, type RequestContext, type StaffCaller } from '@portico/kit/requests';
import { linkPatient, samePatients, unlinkPatient, unrecordedLinks, type GuardianLinks } from '../domain/guardian-links.js';
import { guardianLinked, guardianUnlinked } from '../events/auth-events.js';
import { attribute, BIRTH_DATE, type KeycloakAdmin, type KeycloakUser } from '../keycloak/keycloak-admin.js';
import type { GuardianLinksRepository } from '../store/guardian-links-repository.js';
import type { InvitationRepository } from '../store/invitation-repository.js';
import { userKinds } from '../events/auth-events.js';
import { invitationStatuses } from './auth-messages.js';
import { clinicUserWithRole, directoryPatientOf } from './clinic-users.js';

export interface UserHandlerDeps {
  keycloak: KeycloakAdmin;
  invitations: InvitationRepository;
  guardianLinks: GuardianLinksRepository;
  clock: Clock;
}

const GUARDIAN_LINK = 'guardian_link';
const USER = 'user';
const PATIENT = 'patient';
/** More guardians than any one patient has; the directory needs them all in one answer. */
const MAX_GUARDIANS = 100;
/** Keycloak users read per round while looking for a page of patients. */
const SCAN_BATCH = 50;
/** Rounds before a page is answered short (with a next token): a search may match other clinics' users. */
const SCAN_ROUNDS = 10;
const MAX_QUERY_LENGTH = 100;
/** A user with several roles is shown as the first of these they have. */
const KINDS_FIRST_TO_LAST = ['staff', 'guardian', 'patient'] as const;

function clinicPatient(user: KeycloakUser, invitation: Parameters<typeof invitationStatuses.toProto>[0] | undefined) {
  return {
    patientId: user.id,
    givenName: user.firstName ?? '',
    familyName: user.lastName ?? '',
    email: user.email ?? '',
    enabled: user.enabled,
    invitationStatus: invitation ? invitationStatuses.toProto(invitation) : InvitationStatus.UNSPECIFIED,
    dateOfBirth: attribute(user, BIRTH_DATE) ?? '',
  };
}

/** Keycloak's `search` as the staff list uses it: every word found in the name, email or username. */
function matchesWords(user: KeycloakUser, words: string): boolean {
  const text = [user.firstName, user.lastName, user.email, user.username].join(' ').toLowerCase();
  return words
    .toLowerCase()
    .split(' ')
    .every((word) => text.includes(word));
}

function requireIds(request: { guardianId: string; patientId: string }) {
  const ids = requireUuids({ guardian_id: request.guardianId, patient_id: request.patientId });
  return { guardianId: ids.guardian_id, patientId: ids.patient_id };
}

export function userHandlers(deps: UserHandlerDeps) {
  const { keycloak, guardianLinks } = deps;

  /** Makes the guardian's Keycloak attribute say what the record says, until neither moves. */
  async function syncKeycloak(guardianId: string): Promise<string[]> {
    for (let round = 1; ; round++) {
      const links = await guardianLinks.find(guardianId);
      if (!links) return [];
      await keycloak.modifyUser(guardianId, (user) => {
        if (samePatients(user.attributes?.patients ?? [], links.patientIds)) return false;
        // Keycloak's PUT replaces every attribute: keep the others as they were read.
        user.attributes = { ...user.attributes, patients: links.patientIds };
        return true;
      });
      // Another change landed meanwhile: write again so the last write carries it.
      const after = await guardianLinks.find(guardianId);
      if (after?.version === links.version || round === 3) return links.patientIds;
    }
  }

  async function changeLinks(
    request: { guardianId: string; patientId: string },
    ctx: RequestContext,
    action: string,
    change: (links: GuardianLinks, patientId: string, now: Date) => GuardianLinks | undefined,
    event: typeof guardianLinked,
  ) {
    const caller: StaffCaller = await authoriseStaff(ctx, { action, resourceType: GUARDIAN_LINK });
    const { guardianId, patientId } = requireIds(request);
    const guardian = await clinicUserWithRole(keycloak, caller.clinicId, guardianId, 'guardian');
    if (!guardian) throw new NotFound('guardian not found');
    if (!(await clinicUserWithRole(keycloak, caller.clinicId, patientId, 'patient'))) throw new NotFound('patient not found');

    // A repeated link (or unlink) changes nothing and says so, so staff hear "already linked".
    let changed = false;
    for (let attempt = 1; ; attempt++) {
      const now = deps.clock();
      const current =
        (await guardianLinks.find(guardianId)) ?? unrecordedLinks(guardianId, caller.clinicId, guardian.attributes?.patients ?? [], now);
      const next = change(current, patientId, now);
      if (!next) break;
      try {
        await guardianLinks.save(current, next, [
          event({ principal: caller.principal, role: 'staff' }, caller.clinicId, guardianId, patientId, now),
          staffAudit(caller, { action, resourceType: GUARDIAN_LINK, resourceId: guardianId }, patientId),
        ]);
        changed = true;
        break;
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt === 3) throw error;
      }
    }
    return { guardianId, patientIds: await syncKeycloak(guardianId), changed };
  }

  async function kindOf(user: KeycloakUser): Promise<UserKind> {
    const roles = await keycloak.realmRoles(user.id);
    const kind = KINDS_FIRST_TO_LAST.find((role) => roles.includes(role));
    return kind ? userKinds.toProto(kind) : UserKind.UNSPECIFIED;
  }

  return {
    async listMyPatients(_request: unknown, ctx: RequestContext) {
      const principal = await authenticate(ctx);
      const origin = { sourceIp: ctx.sourceIp, requestId: ctx.requestId };
      const candidates: { patientId: string; actingAs: 'patient' | 'guardian' }[] = [];
      if (principal.roles.includes('patient')) candidates.push({ patientId: principal.subject, actingAs: 'patient' });
      if (principal.roles.includes('guardian'))
        for (const patientId of principal.patients)
          if (!candidates.some((c) => c.patientId === patientId)) candidates.push({ patientId, actingAs: 'guardian' });
      // Someone of no clinic has no patient in it; staff act for none of their own.
      if (!principal.clinicId || candidates.length === 0) return { patients: [] };
      const clinicId = principal.clinicId;

      const users = await Promise.all(
        candidates.map(({ patientId }) =>
          UUID_PATTERN.test(patientId) ? clinicUserWithRole(keycloak, clinicId, patientId, 'patient') : undefined,
        ),
      );
      // Each name read is a read of that patient's record; a patient left out is a refusal.
      await ctx.access.audit.record(
        candidates.map(({ patientId, actingAs }, i) =>
          auditEvent(
            { principal, actingAs, patientId, ...origin },
            { action: 'patients.list_mine', resourceType: PATIENT, resourceId: patientId, denied: !users[i] },
          ),
        ),
      );
      return {
        patients: candidates.flatMap(({ patientId }, i) => {
          const user = users[i];
          return user ? [{ patientId, givenName: user.firstName ?? '', familyName: user.lastName ?? '' }] : [];
        }),
      };
    },

    async listUsers(request: ListUsersRequest, ctx: RequestContext) {
      const caller = await authoriseStaff(ctx, { action: 'users.list', resourceType: USER });
      const page = pageOf(request.page);
      const users = await keycloak.usersWithAttribute('clinic_id', caller.clinicId, page.offset, page.limit);
      const [kinds, invitations] = await Promise.all([
        Promise.all(users.map(kindOf)),
        deps.invitations.latestOfUsers(users.map((u) => u.id)),
      ]);
      await auditStaffRead(ctx, caller, { action: 'users.list', resourceType: USER });
      return {
        users: users.map((user, i) => {
          const invitation = invitations.get(user.id);
          return {
            userId: user.id,
            username: user.username,
            email: user.email ?? '',
            givenName: user.firstName ?? '',
            familyName: user.lastName ?? '',
            kind: kinds[i]!,
            enabled: user.enabled,
            patientIds: user.attributes?.patients ?? [],
            invitationStatus: invitation ? invitationStatuses.toProto(invitation.status) : InvitationStatus.UNSPECIFIED,
            invitationId: invitation?.invitationId ?? '',
          };
        }),
        page: { nextPageToken: nextPageToken(page, users.length) },
      };
    },

    async listPatients(request: ListPatientsRequest, ctx: RequestContext) {
      const caller = await authoriseStaff(ctx, { action: 'patients.list', resourceType: PATIENT });
      const page = pageOf(request.page);
      // Keycloak treats `*` and quotes as search operators; people type words.
      const words = request.query.replace(/[*"]/g, ' ').trim().replace(/\s+/g, ' ');
      if (words.length > MAX_QUERY_LENGTH)
        throw new InvalidInput('request', [{ field: 'query', message: `must be at most ${MAX_QUERY_LENGTH} characters` }]);
      const born = request.dateOfBirth ? validate(calendarDate, request.dateOfBirth, 'request', { field: () => 'date_of_birth' }) : '';
      // A date of birth narrows Keycloak's search to that day; the words then apply to what it found.
      const batchOf = (first: number) =>
        born
          ? keycloak.usersWithAttribute(BIRTH_DATE, born, first, SCAN_BATCH)
          : words
            ? keycloak.usersMatching(words, first, SCAN_BATCH)
            : keycloak.usersWithAttribute('clinic_id', caller.clinicId, first, SCAN_BATCH);

      // The page token is where in Keycloak's order the next page starts looking.
      const patients: KeycloakUser[] = [];
      let offset = page.offset;
      let next: number | undefined;
      for (let round = 0; round < SCAN_ROUNDS && next === undefined; round++) {
        const batch = await batchOf(offset);
        const ofClinic = batch.filter((user) => attribute(user, 'clinic_id') === caller.clinicId && (!born || matchesWords(user, words)));
        const roles = await Promise.all(ofClinic.map((user) => keycloak.realmRoles(user.id)));
        const isPatient = new Set(ofClinic.filter((_, i) => roles[i]!.includes('patient')).map((user) => user.id));
        for (const [i, user] of batch.entries()) {
          if (!isPatient.has(user.id)) continue;
          patients.push(user);
          if (patients.length === page.limit) {
            next = offset + i + 1;
            break;
          }
        }
        if (next === undefined && batch.length < SCAN_BATCH) next = -1;
        offset += SCAN_BATCH;
      }
      const nextOffset = next === undefined ? offset : next;
      const invitations = await deps.invitations.latestOfUsers(patients.map((u) => u.id));
      await auditStaffRead(ctx, caller, { action: 'patients.list', resourceType: PATIENT });
      return {
        patients: patients.map((user) => clinicPatient(user, invitations.get(user.id)?.status)),
        page: { nextPageToken: nextOffset < 0 ? '' : Buffer.from(String(nextOffset), 'utf8').toString('base64url') },
      };
    },

    async getPatient(request: GetPatientRequest, ctx: RequestContext) {
      const caller = await authoriseStaff(ctx, { action: 'patients.read', resourceType: PATIENT });
      const patientId = requireUuid(request.patientId, 'patient_id');
      const patient = await clinicUserWithRole(keycloak, caller.clinicId, patientId, 'patient');
      if (!patient) throw new NotFound('patient not found');
      const [guardians, invitations] = await Promise.all([
        keycloak.usersWithAttribute('patients', patientId, 0, MAX_GUARDIANS),
        deps.invitations.latestOfUsers([patientId]),
      ]);
      await auditStaffRead(ctx, caller, { action: 'patients.read', resourceType: PATIENT, resourceId: patientId }, patientId);
      return {
        patient: clinicPatient(patient, invitations.get(patientId)?.status),
        guardians: guardians
          .filter((g) => attribute(g, 'clinic_id') === caller.clinicId)
          .map((g) => ({
            userId: g.id,
            givenName: g.firstName ?? '',
            familyName: g.lastName ?? '',
            email: g.email ?? '',
            enabled: g.enabled,
          })),
      };
    },

    async lookUpPatient(request: LookUpPatientRequest, ctx: RequestContext) {
      const caller = await authoriseStaff(ctx, { action: 'patients.look_up', resourceType: PATIENT });
      const patientId = requireUuid(request.patientId, 'patient_id');
      const patient = await clinicUserWithRole(keycloak, caller.clinicId, patientId, 'patient');
      if (!patient) throw new NotFound('patient not found');
      const entry = await directoryPatientOf(keycloak, patient, caller.clinicId);
      await auditStaffRead(ctx, caller, { action: 'patients.look_up', resourceType: PATIENT, resourceId: patientId }, patientId);
      return { patient: entry };
    },

    linkGuardian: (request: LinkGuardianRequest, ctx: RequestContext) =>
      changeLinks(request, ctx, 'guardians.link', linkPatient, guardianLinked),
    unlinkGuardian: (request: UnlinkGuardianRequest, ctx: RequestContext) =>
      changeLinks(request, ctx, 'guardians.unlink', unlinkPatient, guardianUnlinked),
  };
}
