// What tests and tools may import from the billing service: its descriptor, which a harness
// starts like every other service's.
export { billingService } from './main.js';
