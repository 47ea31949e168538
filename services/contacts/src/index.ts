// What tests and tools may import from the contacts service.
export { startContactsService } from './main.js';
export { contactsEnv } from './config.js';
