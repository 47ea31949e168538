// Whom to email about a patient and in whose name, asked of the auth service as this service
// itself (its client-credentials token, the `service` role). A patient the auth service does not
// know has nobody to tell; any other failure means "not now", and the email waits.
import { status as grpcStatus, credentials } from '@grpc/grpc-js';
import { AuthService, UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { createServiceClient } from '@portico/contracts/grpc';
import { DependencyUnavailable } from '@portico/kit/domain';
import { retryServiceConfig } from '@portico/kit/grpc';
import type { ServiceTokenSource } from '@portico/kit/identity';
import type { Lifecycle } from '@portico/kit/lifecycle';
import type { Recipient } from '../domain/appointment-notice.js';

export interface NotifyingClinic {
  clinicId: string;
  name: string;
  phone: string;
  email: string;
  portalUrl: string;
  timeZone: string;
  logo: { content: Buffer; contentType: string } | undefined;
}

export interface NotificationContext {
  clinic: NotifyingClinic;
  /** The patient first, then their guardians. */
  recipients: Recipient[];
}

export interface NotificationContexts {
  /** The context, or undefined when there is no such patient. */
  of(patientId: string): Promise<NotificationContext | undefined>;
}

/** The logo may be up to 10 MiB: more than gRPC's default 4 MiB a client accepts. */
const MAX_ANSWER_BYTES = 12 * 1024 * 1024;

export function authNotificationContexts(options: {
  address: string;
  tokens: ServiceTokenSource;
  lifecycle: Lifecycle;
  timeoutMs?: number;
}): NotificationContexts {
  const auth = createServiceClient(AuthService, options.address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_ANSWER_BYTES,
    'grpc.service_config': retryServiceConfig(AuthService),
    'grpc.enable_retries': 1,
  });
  options.lifecycle.onShutdown('auth client', () => auth.close());

  return {
    async of(patientId) {
      let answer;
      try {
        const call = await options.tokens.callOptions();
        answer = await auth.getNotificationContext(
          { patientId },
          { ...call, deadline: new Date(Date.now() + (options.timeoutMs ?? 10_000)) },
        );
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === grpcStatus.NOT_FOUND) return undefined;
        // Keycloak may have rotated its keys: the next try fetches a new token.
        if (code === grpcStatus.UNAUTHENTICATED) options.tokens.invalidate();
        throw new DependencyUnavailable(`notification context not available (${code ?? (error as Error).name})`);
      }
      const clinic = answer.clinic;
      return {
        clinic: {
          clinicId: clinic?.clinicId ?? '',
          name: clinic?.name ?? '',
          phone: clinic?.phone ?? '',
          email: clinic?.email ?? '',
          portalUrl: clinic?.portalUrl ?? '',
          timeZone: clinic?.timeZone ?? '',
          logo: clinic?.logo.length ? { content: Buffer.from(clinic.logo), contentType: clinic.logoContentType } : undefined,
        },
        recipients: answer.recipients.map((r) => ({
          userId: r.userId,
          kind: r.kind === UserKind.GUARDIAN ? 'guardian' : 'patient',
          givenName: r.givenName,
          familyName: r.familyName,
          email: r.email,
          active: r.active,
        })),
      };
    },
  };
}
