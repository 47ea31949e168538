// The clinic's profile as billing needs it (name, address, zone), from the auth service, asked
// with the staff caller's own token so the auth service answers only about the caller's clinic.
import { status, type Metadata } from '@grpc/grpc-js';
import { AuthService, type OrganisationProfile } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { DependencyUnavailable, NotAllowedNow } from '@portico/kit/domain';
import { callerMetadata, connectService } from '@portico/kit/grpc';
import type { Lifecycle } from '@portico/kit/lifecycle';
import { DateTime } from 'luxon';

export interface ClinicProfile {
  clinicId: string;
  name: string;
  timeZone: string;
  profile: OrganisationProfile | undefined;
}

/** The clinic's address on one line, as billing documents print it; empty when it has none. */
export function addressLine(profile: OrganisationProfile | undefined): string {
  const a = profile?.address;
  return a ? [a.line1, a.line2, a.city, a.region, a.postalCode].filter(Boolean).join(', ') : '';
}

export type ClinicDirectory = (caller: { metadata: Metadata }) => Promise<ClinicProfile>;

export function authClinicDirectory(address: string, lifecycle?: Lifecycle): ClinicDirectory {
  const auth = connectService(AuthService, address);
  lifecycle?.onShutdown('auth client', () => auth.close());
  return async ({ metadata }) => {
    let organisation;
    try {
      ({ organisation } = await auth.getOrganisation({}, { metadata: callerMetadata(metadata) }));
    } catch (error) {
      if ((error as { code?: number }).code === status.NOT_FOUND)
        throw new NotAllowedNow('the clinic has no profile yet: set its name and time zone before billing');
      throw new DependencyUnavailable('the clinic’s directory cannot be consulted now; try again');
    }
    const profile = organisation?.profile;
    const timeZone = profile?.timeZone ?? '';
    if (!organisation || !DateTime.local().setZone(timeZone).isValid)
      throw new NotAllowedNow('the clinic’s profile has no valid time zone: set it before billing');
    return { clinicId: organisation.clinicId, name: profile?.name ?? '', timeZone, profile };
  };
}
