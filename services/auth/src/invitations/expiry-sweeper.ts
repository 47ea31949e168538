// Invitations unused for 7 days expire: every interval the sweeper marks PENDING invitations past
// their expiry EXPIRED (with InvitationExpired) and disables their users. It also finishes what a
// Keycloak outage interrupted: revoked or expired invitations whose user is still enabled. Several
// replicas may sweep at once: the version check lets one of them record each expiry, and
// disabling a user twice does no harm.
import type { Logger } from '@portico/kit/logging';
import { sleep } from '@portico/kit/lifecycle';
import { expire, type Clock, type Invitation } from '../domain/invitation.js';
import { invitationExpired } from '../events/auth-events.js';
import type { KeycloakAdmin } from '../keycloak/keycloak-admin.js';
import type { InvitationRepository } from '../store/invitation-repository.js';
import { VersionConflict } from '../store/organisation-repository.js';

export interface SweeperOptions {
  invitations: InvitationRepository;
  keycloak: KeycloakAdmin;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  nudgeRelay(): void;
  batchSize?: number;
}

export class InvitationExpirySweeper {
  private running = false;
  private loop: Promise<void> | undefined;
  private stopSignal = new AbortController();

  constructor(private readonly options: SweeperOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sweepOnce();
      } catch (error) {
        this.options.logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'invitation sweep failed; will retry',
        );
      }
      await sleep(this.options.intervalMs, this.stopSignal.signal);
    }
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
    if (expired) {
      this.options.nudgeRelay();
      logger.info({ expired }, 'invitations expired');
    }
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
