// Every clinic's patients, ids only, for a service whose patient directory is new (decision 0006):
// it fills the directory from this listing before it follows the auth topic, which keeps events
// for a while only. For Portico's own services (their client-credentials token with the `service`
// role); a person asking is refused and the refusal audited. Each page read is audited as the
// service's access.
import type { ListDirectoryPatientsRequest } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { nextPageToken, pageOf } from '@portico/kit/paging';
import type { RequestContext } from '@portico/kit/requests';
import { attribute, type KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import { authenticateService, serviceAccess } from './callers.js';
import { directoryPatientOf } from './clinic-users.js';

export interface DirectoryHandlerDeps {
  keycloak: KeycloakAdmin;
}

const ACTION = 'directory_patients.list';

export function directoryHandlers({ keycloak }: DirectoryHandlerDeps) {
  return {
    async listDirectoryPatients(request: ListDirectoryPatientsRequest, ctx: RequestContext) {
      const principal = await authenticateService(ctx, ACTION, '', "only Portico's own services may list the patient directory");
      const page = pageOf(request.page);
      // Keycloak lists a role's users only to a realm viewer, which the auth service is not: it
      // reads the realm's users page by page and keeps the patients (with a clinic: no clinic's
      // staff may act for a patient without one). A page may so hold fewer than asked.
      const users = await keycloak.users(page.offset, page.limit);
      const candidates = users.flatMap((user) => {
        const clinicId = attribute(user, 'clinic_id');
        return clinicId ? [{ user, clinicId }] : [];
      });
      const roles = await Promise.all(candidates.map(({ user }) => keycloak.realmRoles(user.id)));
      const ofClinics = candidates.filter((_, i) => roles[i]!.includes('patient'));
      const patients = await Promise.all(ofClinics.map(({ user, clinicId }) => directoryPatientOf(keycloak, user, clinicId)));
      await ctx.access.audit.record([serviceAccess(principal, ACTION, '', ctx, true)]);
      return { patients, page: { nextPageToken: nextPageToken(page, users.length) } };
    },
  };
}
