// Invitations unused for 7 days expire: every interval the sweeper marks PENDING invitations past
// their expiry EXPIRED (with InvitationExpired) and disables their users. It also finishes what a
// Keycloak outage interrupted: revoked or expired invitations whose user is still enabled. Several
// replicas may sweep at once: the version check lets one of them record each expiry, and
// disabling a user twice does no harm.
import { VersionConflict, type Clock } from '@portico/kit/domain';
import { periodicJob, type PeriodicJob } from '@portico/kit/jobs';
import type { Logger } from '@portico/kit/logging';
import { expire, type Invitation } from '../domain/invitation.js';
import { invitationExpired } from '../events/auth-events.js';
import type { KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import type { InvitationRepository } from '../store/invitation-repository.js';

export interface SweeperOptions {
  invitations: InvitationRepository;
  keycloak: KeycloakAdmin;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  batchSize?: number;
}

export class InvitationExpirySweeper {
  /** Sweeps every interval; started and stopped by the service runtime. */
  readonly job: PeriodicJob;

  constructor(private readonly options: SweeperOptions) {
    this.job = periodicJob({
      name: 'invitation sweep',
      intervalMs: options.intervalMs,
      logger: options.logger,
      run: () => this.sweepOnce(),
    });
  }

  /** One pass; returns how many invitations it expired. */
  async sweepOnce(): Promise<number> {
    const { invitations, logger } = this.options;
    const now = this.options.clock();
    const due = await invitations.dueForSweep(now, this.options.batchSize ?? 100);
    let expired = 0;
    for (let invitation of due) {
      const next = expire(invitation, now);
      if (next) {
        try {
          invitation = await invitations.replace(invitation, next, [invitationExpired(next)]);
          expired++;
        } catch (error) {
          // Resent, accepted or expired by another replica since it was read: not ours to expire.
          if (error instanceof VersionConflict) continue;
          throw error;
        }
      }
      if (invitation.userDisablePending) await disableUserOf(invitation, this.options);
    }
    if (expired) logger.info({ expired }, 'invitations expired');
    return expired;
  }
}

/**
 * Disables the user of a revoked or expired invitation. If staff resent the invitation in the
 * meantime the user is enabled again; if Keycloak fails, the next sweep retries.
 */
export async function disableUserOf(
  invitation: Invitation,
  deps: { keycloak: KeycloakAdmin; invitations: InvitationRepository; logger: Logger },
): Promise<void> {
  try {
    await deps.keycloak.setEnabled(invitation.userId, false);
    if (!(await deps.invitations.recordUserDisabled(invitation.invitationId))) await deps.keycloak.setEnabled(invitation.userId, true);
  } catch (error) {
    deps.logger.warn(
      { err: { name: (error as Error).name }, invitationId: invitation.invitationId },
      'user not disabled yet; the sweeper retries',
    );
  }
}
