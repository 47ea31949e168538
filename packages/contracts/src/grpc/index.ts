export { serviceDefinition, methodDefinition, grpcPath, chunkBuffer } from './service-definition.js';
export { implementService, GrpcError, toServiceError } from './server.js';
export type {
  CallContext,
  ServiceHandlers,
  ErrorObserver,
  BridgeOptions,
  UnaryHandler,
  ServerStreamingHandler,
  ClientStreamingHandler,
  BidiStreamingHandler,
} from './server.js';
export { createServiceClient } from './client.js';
export type { ServiceClient, CallSettings } from './client.js';
export { reflectionPackageDefinition } from './reflection.js';
