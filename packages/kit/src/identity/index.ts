export { createTokenVerifier, bearerToken, InvalidTokenError } from './token-verifier.js';
export type { Principal, PorticoRole, TokenVerifier, TokenVerifierOptions } from './token-verifier.js';
export { actingAs } from './authorisation.js';
export type { ActingAs } from './authorisation.js';
export { authenticate } from './grpc-auth.js';
export type { Caller } from './grpc-auth.js';
export { serviceTokenSource, serviceCredentialsEnv, tokenEndpointOf, ServiceTokenError } from './service-token.js';
export type { ServiceCredentials, ServiceTokenSource } from './service-token.js';
