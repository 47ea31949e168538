export { startGrpcServer, registration } from './server.js';
export type { PorticoGrpcServer, DependencyCheck, ServiceRegistration } from './server.js';
export { connectService, forwardedMetadata, retryableMethods, retryServiceConfig } from './client.js';
export type { ClientOptions } from './client.js';
export { GrpcError } from '@portico/contracts/grpc';
export type { CallContext, ServiceHandlers, ServiceClient } from '@portico/contracts/grpc';
export { status, Metadata } from '@grpc/grpc-js';
export { invalidArgument } from './errors.js';
export type { Violation } from './errors.js';
