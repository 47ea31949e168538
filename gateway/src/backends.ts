// The table of the services behind the gateway. Each entry gives the service's contract; from it
// come the environment variable of its address (<NAME>_GRPC_URL), its client, and its line in
// /readyz. Adding a service to the portal is one entry here.
import { AppointmentsService } from '@portico/contracts/gen/portico/appointments/v1/appointments_pb';
import { AuditService } from '@portico/contracts/gen/portico/audit/v1/audit_pb';
import { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { EstimatesService } from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import { PaymentPlansService } from '@portico/contracts/gen/portico/billing/v1/payment_plans_pb';
import { ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import { InsuranceService } from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import { FormsService } from '@portico/contracts/gen/portico/documents/v1/forms_pb';
import { NotificationsService } from '@portico/contracts/gen/portico/notifications/v1/notifications_pb';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { connectService, type ServiceClient } from '@portico/kit/grpc';
import { credentials, Client, type ServiceError } from '@grpc/grpc-js';

export const backends = {
  appointments: AppointmentsService,
  audit: AuditService,
  auth: AuthService,
  billing: BillingService,
  contacts: ContactsService,
  insurance: InsuranceService,
  documents: DocumentsService,
  notifications: NotificationsService,
} as const;

/**
 * Further contracts a backend serves on its own address (one line each): their clients connect to
 * that backend's address and need no address or readiness line of their own (the billing service
 * also answers EstimatesService and PaymentPlansService).
 */
export const servedAlongside = {
  estimates: { service: EstimatesService, by: 'billing' },
  paymentPlans: { service: PaymentPlansService, by: 'billing' },
  forms: { service: FormsService, by: 'documents' },
} as const;

type Backends = typeof backends;
type Alongside = typeof servedAlongside;
export type BackendName = keyof Backends;
export type ServiceClients = { [K in BackendName]: ServiceClient<Backends[K]['method']> } & {
  [K in keyof Alongside]: ServiceClient<Alongside[K]['service']['method']>;
};
export type BackendAddresses = { [K in BackendName as `${Uppercase<K>}_GRPC_URL`]: string };

export const backendNames = Object.keys(backends) as BackendName[];
export const addressVariable = <K extends BackendName>(name: K) => `${name.toUpperCase()}_GRPC_URL` as `${Uppercase<K>}_GRPC_URL`;

/** Services that answer with a file in one message (a card photo of up to 10 MB), and how large it may be. */
const largeAnswers: Partial<Record<BackendName, number>> = { insurance: 12 * 1024 * 1024 };

export function connectServices(addresses: BackendAddresses, defaultTimeoutMs: number): ServiceClients {
  // One client per entry; the mapped type above gives each its contract's methods.
  const entries: [string, unknown][] = backendNames.map((name) => [
    name,
    connectService(backends[name] as GenService<GenServiceMethods>, addresses[addressVariable(name)], {
      defaultTimeoutMs,
      ...(largeAnswers[name] ? { maxReceiveMessageBytes: largeAnswers[name] } : {}),
    }),
  ]);
  const alongside = Object.entries(servedAlongside).map(([name, { service, by }]) => [
    name,
    connectService(service as GenService<GenServiceMethods>, addresses[addressVariable(by)], { defaultTimeoutMs }),
  ]);
  return Object.fromEntries([...entries, ...alongside]) as ServiceClients;
}

export interface HealthCheck {
  name: string;
  ready(): Promise<boolean>;
}

/** Asks a service's standard gRPC health endpoint whether it is SERVING. */
export function grpcHealthCheck(name: string, address: string): HealthCheck & { close(): void } {
  const client = new Client(address, credentials.createInsecure());
  const encodeRequest = () => Buffer.alloc(0); // HealthCheckRequest{service: ""} encodes to nothing.
  // HealthCheckResponse{status = 1 (SERVING)} encodes as field 1 varint 1: 0x08 0x01.
  const decodeResponse = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x08 && bytes[1] === 0x01;
  return {
    name,
    close: () => client.close(),
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

/** The health of every service in the table, for /readyz to report. */
export const backendHealthChecks = (addresses: BackendAddresses) =>
  backendNames.map((name) => grpcHealthCheck(name, addresses[addressVariable(name)]));
