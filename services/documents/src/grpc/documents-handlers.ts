// The DocumentsService handlers, one group per part of the Documents menu, and the clinic's handbook.
import type { DocumentsService } from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { clinicalDocumentHandlers } from './clinical-document-handlers.js';
import { handbookHandlers, type AuthClient } from './handbook-handlers.js';
import type { HandbookMigrations } from '../store/repositories.js';
import type { DocumentHandlerDeps } from './handler-deps.js';
import { resourceHandlers } from './resource-handlers.js';
import { screeningHandlers } from './screening-handlers.js';
import { uploadHandlers } from './upload-handlers.js';

export type { DocumentHandlerDeps };

export function documentsHandlers(
  deps: DocumentHandlerDeps & { auth: AuthClient; migrations: HandbookMigrations },
): ServiceHandlers<(typeof DocumentsService)['method']> {
  return {
    ...clinicalDocumentHandlers(deps),
    ...resourceHandlers(deps),
    ...uploadHandlers(deps),
    ...handbookHandlers(deps),
    ...screeningHandlers(deps),
  };
}
