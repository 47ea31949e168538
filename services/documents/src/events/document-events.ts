// The facts the documents service publishes on `portico.documents.v1`, keyed by patient id (the
// clinic id for a resource shared with every patient). Ids and kinds only: never a title, an
// author, a description, a link or a file name.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DocumentKindSchema,
  ResourceAudienceSchema,
  UploadStatusSchema,
  type DocumentKind as DocumentKindProto,
  type ResourceAudience as ResourceAudienceProto,
  type UploadStatus as UploadStatusProto,
} from '@portico/contracts/gen/portico/documents/v1/documents_pb';
import {
  DocumentOpenedSchema,
  DocumentSharedSchema,
  DocumentUploadedSchema,
  ResourceSharedSchema,
  UploadFiledSchema,
} from '@portico/contracts/gen/portico/events/documents/v1/document_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Principal } from '@portico/kit/identity';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  DOCUMENT_KINDS,
  RESOURCE_AUDIENCES,
  UPLOAD_STATUSES,
  type ClinicalDocument,
  type DocumentKind,
  type Resource,
  type ResourceAudience,
  type Upload,
  type UploadStatus,
} from '../domain/documents.js';

export const DOCUMENTS_TOPIC = 'portico.documents.v1';

export const kinds = enumMapping<DocumentKind, DocumentKindProto>(DocumentKindSchema, DOCUMENT_KINDS);
export const audiences = enumMapping<ResourceAudience, ResourceAudienceProto>(ResourceAudienceSchema, RESOURCE_AUDIENCES);
export const uploadStatuses = enumMapping<UploadStatus, UploadStatusProto>(UploadStatusSchema, UPLOAD_STATUSES);

/** Who acted, in which role. */
export interface Acting {
  principal: Principal;
  actingAs?: 'patient' | 'guardian' | 'staff';
}

const actor = (who: Acting) => actorOf(who.principal, who.actingAs);

export function documentShared(who: Acting, document: ClinicalDocument): OutboxEntry {
  const event = create(DocumentSharedSchema, {
    documentId: document.documentId,
    patientId: document.patientId,
    clinicId: document.clinicId,
    actor: actor(who),
    kind: kinds.toProto(document.kind),
    occurredAt: timestampFromDate(document.sharedAt),
  });
  return outboxEvent(DocumentSharedSchema, event, { topic: DOCUMENTS_TOPIC, key: document.patientId, occurredAt: document.sharedAt });
}

export function documentOpened(who: Acting, document: ClinicalDocument, at: Date): OutboxEntry {
  const event = create(DocumentOpenedSchema, {
    documentId: document.documentId,
    patientId: document.patientId,
    clinicId: document.clinicId,
    actor: actor(who),
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(DocumentOpenedSchema, event, { topic: DOCUMENTS_TOPIC, key: document.patientId, occurredAt: at });
}

export function resourceShared(who: Acting, resource: Resource): OutboxEntry {
  const event = create(ResourceSharedSchema, {
    resourceId: resource.resourceId,
    patientId: resource.patientId,
    clinicId: resource.clinicId,
    actor: actor(who),
    audience: audiences.toProto(resource.audience),
    occurredAt: timestampFromDate(resource.sharedAt),
  });
  return outboxEvent(ResourceSharedSchema, event, {
    topic: DOCUMENTS_TOPIC,
    key: resource.patientId || resource.clinicId,
    occurredAt: resource.sharedAt,
  });
}

export function documentUploaded(who: Acting, upload: Upload): OutboxEntry {
  const event = create(DocumentUploadedSchema, {
    uploadId: upload.uploadId,
    patientId: upload.patientId,
    clinicId: upload.clinicId,
    actor: actor(who),
    occurredAt: timestampFromDate(upload.uploadedAt),
  });
  return outboxEvent(DocumentUploadedSchema, event, { topic: DOCUMENTS_TOPIC, key: upload.patientId, occurredAt: upload.uploadedAt });
}

export function uploadFiled(who: Acting, upload: Upload, at: Date): OutboxEntry {
  const event = create(UploadFiledSchema, {
    uploadId: upload.uploadId,
    patientId: upload.patientId,
    clinicId: upload.clinicId,
    actor: actor(who),
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(UploadFiledSchema, event, { topic: DOCUMENTS_TOPIC, key: upload.patientId, occurredAt: at });
}
