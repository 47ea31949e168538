// Keycloak users seen from one clinic: a user of another clinic, or without the expected role,
// does not exist for the caller. Keycloak outages become UNAVAILABLE, so clients may retry.
import { GrpcError, status } from '@portico/kit/grpc';
import { attribute, KeycloakError, type KeycloakAdmin, type KeycloakUser } from '../keycloak/keycloak-admin.js';

/** Runs a Keycloak call, answering UNAVAILABLE when Keycloak cannot be reached or fails. */
export async function withKeycloak<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof KeycloakError && (error.status === 0 || error.status >= 500))
      throw new GrpcError(status.UNAVAILABLE, 'the identity server is not available; try again');
    throw error;
  }
}

/** The user when they belong to the clinic and have the role; undefined otherwise. */
export async function clinicUserWithRole(
  keycloak: KeycloakAdmin,
  clinicId: string,
  userId: string,
  role: 'patient' | 'guardian',
): Promise<KeycloakUser | undefined> {
  return withKeycloak(async () => {
    const user = await keycloak.getUser(userId);
    if (!user || attribute(user, 'clinic_id') !== clinicId) return undefined;
    return (await keycloak.realmRoles(userId)).includes(role) ? user : undefined;
  });
}
