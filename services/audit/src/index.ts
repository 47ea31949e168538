// What tests and tools may import from the audit service: its descriptor (what a harness starts).
export { auditService } from './main.js';
export { auditEnv } from './config.js';
