// What tests and tools may import from the contacts service: its descriptor, which a harness
// starts like every other service's.
export { contactsService } from './main.js';
