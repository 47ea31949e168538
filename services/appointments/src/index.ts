// What tests and tools may import from the appointments service: its descriptor, which a harness
// starts like every other service's.
export { appointmentsService } from './main.js';
