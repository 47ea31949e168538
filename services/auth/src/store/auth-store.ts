// The auth service's database: its repositories, and the collections whose documents carry events.
import type { Store } from '@portico/kit/store';
import { GUARDIAN_LINKS_COLLECTION } from './guardian-links-model.js';
import { GuardianLinksRepository } from './guardian-links-repository.js';
import { INVITATIONS_COLLECTION } from './invitation-model.js';
import { InvitationRepository } from './invitation-repository.js';
import { ORGANISATIONS_COLLECTION } from './organisation-model.js';
import { OrganisationRepository } from './organisation-repository.js';

export const AUTH_OUTBOX = [INVITATIONS_COLLECTION, ORGANISATIONS_COLLECTION, GUARDIAN_LINKS_COLLECTION];

export async function authRepositories(store: Store) {
  const organisations = new OrganisationRepository(store.connection);
  const invitations = new InvitationRepository(store.connection);
  const guardianLinks = new GuardianLinksRepository(store.connection);
  await Promise.all([organisations.init(), invitations.init(), guardianLinks.init()]);
  return { organisations, invitations, guardianLinks };
}
