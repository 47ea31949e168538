// Whom to email about a patient, and in whose name: the clinic's profile and logo, the patient and
// their guardians. For Portico's own services only (a client-credentials token with the `service`
// role, e.g. the notifications service's); a person asking is refused, and the refusal audited.
// Each answer is a read of the patient's record by that service, so it is audited too (rule 10).
import { UserKind, type GetNotificationContextRequest } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { NotFound, requireUuid } from '@portico/kit/domain';
import type { Logger } from '@portico/kit/logging';
import type { ObjectStore } from '@portico/kit/objects';
import type { RequestContext } from '@portico/kit/requests';
import { newOrganisation, type Organisation } from '../domain/organisation.js';
import { attribute, type KeycloakAdmin, type KeycloakUser } from '../keycloak/keycloak-admin.js';
import type { OrganisationRepository } from '../store/organisation-repository.js';
import { authenticateService, serviceAccess } from './callers.js';

export interface NotificationContextHandlerDeps {
  keycloak: KeycloakAdmin;
  organisations: OrganisationRepository;
  objects: ObjectStore;
  clock: () => Date;
  logger: Logger;
}

const ACTION = 'notification_context.get';
/** More guardians than any one patient has. */
const MAX_GUARDIANS = 100;

const recipientOf = (user: KeycloakUser, kind: UserKind) => ({
  userId: user.id,
  kind,
  givenName: user.firstName ?? '',
  familyName: user.lastName ?? '',
  email: user.email ?? '',
  active: user.enabled,
});

export function notificationContextHandlers(deps: NotificationContextHandlerDeps) {
  const { keycloak } = deps;

  /** The logo's bytes; an email without the picture is better than none, so a failed read gives none. */
  async function logoOf(organisation: Organisation): Promise<{ logo: Uint8Array; logoContentType: string }> {
    if (!organisation.logo) return { logo: new Uint8Array(), logoContentType: '' };
    try {
      return { logo: await deps.objects.readAll(organisation.logo.objectKey), logoContentType: organisation.logo.contentType };
    } catch (error) {
      deps.logger.warn({ err: { name: (error as Error).name }, clinicId: organisation.clinicId }, 'logo not readable; context without it');
      return { logo: new Uint8Array(), logoContentType: '' };
    }
  }

  async function guardiansOf(patientId: string, clinicId: string): Promise<KeycloakUser[]> {
    // The guardians' `patients` attribute is what their tokens carry, so it is what decides.
    const candidates = (await keycloak.usersWithAttribute('patients', patientId, 0, MAX_GUARDIANS)).filter(
      (user) => attribute(user, 'clinic_id') === clinicId,
    );
    const roles = await Promise.all(candidates.map((user) => keycloak.realmRoles(user.id)));
    return candidates.filter((_, i) => roles[i]!.includes('guardian'));
  }

  return {
    async getNotificationContext(request: GetNotificationContextRequest, ctx: RequestContext) {
      const principal = await authenticateService(ctx, ACTION, request.patientId, "only Portico's own services may read whom to notify");
      const patientId = requireUuid(request.patientId, 'patient_id');
      const patient = await keycloak.getUser(patientId);
      const clinicId = patient && attribute(patient, 'clinic_id');
      if (!patient || !clinicId || !(await keycloak.realmRoles(patientId)).includes('patient')) throw new NotFound('patient not found');

      const [organisation, guardians] = await Promise.all([
        deps.organisations.find(clinicId).then((found) => found ?? newOrganisation(clinicId, deps.clock())),
        guardiansOf(patientId, clinicId),
      ]);
      const { profile } = organisation;
      const logo = await logoOf(organisation);
      await ctx.access.audit.record([serviceAccess(principal, ACTION, patientId, ctx, true)]);
      return {
        clinic: {
          clinicId,
          name: profile.name,
          phone: profile.phone,
          email: profile.email,
          portalUrl: profile.portalUrl,
          timeZone: profile.timeZone,
          ...logo,
        },
        recipients: [recipientOf(patient, UserKind.PATIENT), ...guardians.map((g) => recipientOf(g, UserKind.GUARDIAN))],
      };
    },
  };
}
