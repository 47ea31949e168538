// The gRPC clients of the services behind the gateway, and their health for readiness.
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { credentials, Client, type ServiceError } from '@grpc/grpc-js';
import type { GatewayConfig } from './config.js';
import type { ReadinessCheck } from './routes/health.js';

export interface ServiceClients {
  contacts: ServiceClient<(typeof ContactsService)['method']>;
  auth: ServiceClient<(typeof AuthService)['method']>;
}

export function connectServices(config: GatewayConfig): ServiceClients {
  const options = { defaultTimeoutMs: config.GRPC_TIMEOUT_MS };
  return {
    contacts: connectService(ContactsService, config.CONTACTS_GRPC_URL, options),
    auth: connectService(AuthService, config.AUTH_GRPC_URL, options),
  };
}

/** Asks a service's standard gRPC health endpoint whether it is SERVING. */
export function grpcHealthCheck(name: string, address: string): ReadinessCheck {
  const client = new Client(address, credentials.createInsecure());
  const encodeRequest = () => Buffer.alloc(0); // HealthCheckRequest{service: ""} encodes to nothing.
  // HealthCheckResponse{status = 1 (SERVING)} encodes as field 1 varint 1: 0x08 0x01.
  const decodeResponse = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x08 && bytes[1] === 0x01;
  return {
    name,
    ready: () =>
      new Promise((resolve) => {
        client.makeUnaryRequest(
          '/grpc.health.v1.Health/Check',
          encodeRequest,
          decodeResponse,
          {},
          { deadline: new Date(Date.now() + 2_000) },
          (error: ServiceError | null, serving?: boolean) => resolve(!error && serving === true),
        );
      }),
  };
}
