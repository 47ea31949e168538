// Whom the notifications service emails about a patient, and in whose name. For Portico's own
// services only (client-credentials tokens with the `service` role).
import { status } from '@grpc/grpc-js';
import { GrpcError } from '@portico/contracts/grpc';

export function notificationContextHandlers() {
  return {
    async getNotificationContext(): Promise<never> {
      throw new GrpcError(status.UNIMPLEMENTED, 'not available yet');
    },
  };
}
