// Keycloak users seen from one clinic: a user of another clinic, or without the expected role,
// does not exist for the caller. Keycloak outages become UNAVAILABLE, so clients may retry.
import { DependencyUnavailable } from '@portico/kit/domain';
import type { ErrorTranslation } from '@portico/kit/grpc';
import { attribute, KeycloakError, type KeycloakAdmin, type KeycloakUser } from '../keycloak/keycloak-admin.js';

/** For the bridge: Keycloak unreachable or failing answers UNAVAILABLE, whichever call met it. */
export const keycloakOutage: ErrorTranslation = (error) =>
  error instanceof KeycloakError && (error.status === 0 || error.status >= 500)
    ? new DependencyUnavailable('the identity server is not available; try again')
    : undefined;

/** The user when they belong to the clinic and have the role; undefined otherwise. */
export async function clinicUserWithRole(
  keycloak: KeycloakAdmin,
  clinicId: string,
  userId: string,
  role: 'patient' | 'guardian' | 'staff',
): Promise<KeycloakUser | undefined> {
  const user = await keycloak.getUser(userId);
  if (!user || attribute(user, 'clinic_id') !== clinicId) return undefined;
  return (await keycloak.realmRoles(userId)).includes(role) ? user : undefined;
}

/** More guardians than any one patient has; a directory entry needs them all in one answer. */
const MAX_GUARDIANS = 100;

/**
 * A patient of `clinicId` as every service's patient directory keeps them: ids only. The
 * guardians' `patients` attribute is what their tokens carry, so it is what decides.
 */
export async function directoryPatientOf(keycloak: KeycloakAdmin, patient: KeycloakUser, clinicId: string) {
  const guardians = await keycloak.usersWithAttribute('patients', patient.id, 0, MAX_GUARDIANS);
  return {
    patientId: patient.id,
    clinicId,
    active: patient.enabled,
    guardianIds: guardians.filter((g) => attribute(g, 'clinic_id') === clinicId).map((g) => g.id),
  };
}
