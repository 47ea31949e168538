// What the auth service knows that scheduling needs: the caller's clinic (its name, IANA zone and
// portal address) and whether a user is staff of it. Asked with the staff caller's own token, so
// the auth service applies its own rules and answers only about the caller's clinic.
import { status, type Metadata } from '@grpc/grpc-js';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { DependencyUnavailable, NotAllowedNow } from '@portico/kit/domain';
import { callerMetadata, connectService } from '@portico/kit/grpc';
import type { Lifecycle } from '@portico/kit/lifecycle';
import type { ClinicSnapshot } from '../domain/appointment.js';
import { isKnownZone } from '../domain/wall-clock.js';

export interface ClinicLookups {
  /** The caller's clinic as appointments keep it; FAILED_PRECONDITION while it has no usable profile. */
  clinic(caller: { metadata: Metadata }): Promise<ClinicSnapshot>;
  /** The name patients read of a staff member of the caller's clinic; undefined for anyone else. */
  staffMemberName(caller: { metadata: Metadata }, userId: string): Promise<string | undefined>;
}

const codeOf = (error: unknown) => (error as { code?: number }).code;
const unavailable = () => new DependencyUnavailable('the clinic’s directory cannot be consulted now; try again');

export function authClinicLookups(address: string, lifecycle?: Lifecycle): ClinicLookups {
  const auth = connectService(AuthService, address);
  lifecycle?.onShutdown('auth client', () => auth.close());
  return {
    async clinic({ metadata }) {
      let organisation;
      try {
        ({ organisation } = await auth.getOrganisation({}, { metadata: callerMetadata(metadata) }));
      } catch (error) {
        if (codeOf(error) === status.NOT_FOUND)
          throw new NotAllowedNow('the clinic has no profile yet: set its name and time zone before scheduling appointments');
        throw unavailable();
      }
      const profile = organisation?.profile;
      const timeZone = profile?.timeZone ?? '';
      if (!organisation || !isKnownZone(timeZone))
        throw new NotAllowedNow('the clinic’s profile has no valid time zone: set it before scheduling appointments');
      return { clinicId: organisation.clinicId, clinicName: profile?.name ?? '', timeZone, portalUrl: profile?.portalUrl ?? '' };
    },

    async staffMemberName({ metadata }, userId) {
      try {
        const { staffMember } = await auth.getStaffMember({ userId }, { metadata: callerMetadata(metadata) });
        return staffMember?.displayName;
      } catch (error) {
        // Not staff of the caller's clinic, or nobody: the auth service will not say which.
        if (codeOf(error) === status.NOT_FOUND) return undefined;
        throw unavailable();
      }
    },
  };
}
