// What tests and tools may import from the notifications service: its descriptor, which a harness
// starts like every other service's.
export { notificationsService } from './main.js';
