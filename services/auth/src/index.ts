// What tests and tools may import from the auth service.
export { startAuthService } from './main.js';
export type { AuthServiceOptions } from './main.js';
export { authEnv } from './config.js';
export { INVITATION_VALIDITY_MS } from './domain/invitation.js';
