// The contacts service: a patient's third-party contacts, behind gRPC, publishing its facts to Kafka.
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { registration } from '@portico/kit/grpc';
import { isMainModule } from '@portico/kit/lifecycle';
import { patientDirectoryOf } from '@portico/kit/patients';
import { defineService, startService, type StartOptions } from '@portico/kit/runtime';
import { contactsEnv, type ContactsConfig } from './config.js';
import { contactsHandlers } from './grpc/contacts-handlers.js';
import { CONTACTS_COLLECTION } from './store/contact-model.js';
import { ContactRepository } from './store/contact-repository.js';

export const startContactsService = (config: ContactsConfig, options: StartOptions = {}) =>
  startService({ name: 'contacts', config, options, outbox: [CONTACTS_COLLECTION] }, async (platform) => {
    const repository = await new ContactRepository(platform.store).init();
    return {
      grpc: [registration(ContactsService, contactsHandlers({ repository }))],
      patients: patientDirectoryOf(platform),
      exports: { repository },
    };
  });

export const contactsService = defineService({ name: 'contacts', config: contactsEnv, start: startContactsService });

if (isMainModule(import.meta.url)) await contactsService.main();
