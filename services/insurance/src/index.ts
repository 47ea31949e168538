// What tests and tools may import from the insurance service: its descriptor, which a harness
// starts like every other service's.
export { insuranceService } from './main.js';
