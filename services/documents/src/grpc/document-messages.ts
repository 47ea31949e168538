// Clinical documents, resources and uploads as DocumentsService answers them.
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ClinicalDocument, Resource, Upload } from '../domain/documents.js';
import { audiences, kinds, uploadStatuses } from '../events/document-events.js';
import { descriptionOf } from '../files/file-intake.js';

export const documentMessage = (d: ClinicalDocument) => ({
  documentId: d.documentId,
  patientId: d.patientId,
  kind: kinds.toProto(d.kind),
  title: d.title,
  documentDate: d.documentDate,
  author: d.author,
  file: descriptionOf(d.file),
  sharedAt: timestampFromDate(d.sharedAt),
  ...(d.openedAt ? { openedAt: timestampFromDate(d.openedAt) } : {}),
});

export const resourceMessage = (r: Resource) => ({
  resourceId: r.resourceId,
  audience: audiences.toProto(r.audience),
  patientId: r.patientId,
  title: r.title,
  description: r.description,
  linkUrl: r.linkUrl,
  ...(r.file ? { file: descriptionOf(r.file) } : {}),
  sharedAt: timestampFromDate(r.sharedAt),
});

export const uploadMessage = (u: Upload) => ({
  uploadId: u.uploadId,
  patientId: u.patientId,
  file: descriptionOf(u.file),
  status: uploadStatuses.toProto(u.status),
  uploadedAt: timestampFromDate(u.uploadedAt),
  ...(u.filedAt ? { filedAt: timestampFromDate(u.filedAt) } : {}),
});
