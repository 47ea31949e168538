// What tests and tools may import from the auth service: its descriptor, which a harness starts
// like every other service's.
export { authService } from './main.js';
