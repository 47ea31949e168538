// What tests and tools may import from the auth service: its descriptor (what a harness starts),
// and the older names the harness used until it moved to descriptors.
export { authService, startAuthService } from './main.js';
export type { AuthServiceOptions } from './main.js';
export { authEnv } from './config.js';
export { INVITATION_VALIDITY_MS } from './domain/invitation.js';
