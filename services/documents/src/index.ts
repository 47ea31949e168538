// What tests and tools may import from the documents service: its descriptor, which a harness
// starts like every other service's.
export { documentsService } from './main.js';
