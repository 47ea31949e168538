// What tests and tools may import from the contacts service: its descriptor (what a harness
// starts), and the older names the harness used until it moved to descriptors.
export { contactsService, startContactsService } from './main.js';
export { contactsEnv } from './config.js';
