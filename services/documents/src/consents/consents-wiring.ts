// Consents as the documents service runs them: their repositories, the contacts client a release of
// information needs (none when CONTACTS_GRPC_URL is empty), and the ConsentsService handlers.
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService } from '@portico/kit/grpc';
import type { ObjectStore } from '@portico/kit/objects';
import type { Platform } from '@portico/kit/runtime';
import type { DocumentsConfig } from '../config.js';
import { consentHandlers, type ConsentHandlerDeps } from '../grpc/consent-handlers.js';
import { ConsentRepository, DisclosureAcceptances } from '../store/consent-repositories.js';

export async function consentsOf(
  platform: Platform<DocumentsConfig>,
  config: DocumentsConfig,
  parts: Pick<ConsentHandlerDeps, 'objects' | 'auth'> & { objects: ObjectStore },
) {
  const repository = await new ConsentRepository(platform.store).init();
  const acceptances = await new DisclosureAcceptances(platform.store).init();
  let contacts: ConsentHandlerDeps['contacts'] = undefined;
  if (config.CONTACTS_GRPC_URL) {
    const client = connectService(ContactsService, config.CONTACTS_GRPC_URL, { defaultTimeoutMs: 10_000 });
    platform.lifecycle.onShutdown('contacts client', () => client.close());
    contacts = client;
  }
  const handlers = consentHandlers({ consents: repository, acceptances, contacts, clock: platform.clock, ...parts });
  return { repository, handlers };
}
