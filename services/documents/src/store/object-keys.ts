// Every place this service records the key of an object it wrote to its bucket. The orphan sweep
// (kit objects) keeps any object named here and removes, after the grace period, any it finds
// nowhere: so a new kind of stored file must add its field here, or its objects would be swept.
import type { KeyField } from '@portico/kit/objects';
import { CONSENTS_COLLECTION } from './consent-models.js';
import { DOCUMENTS_COLLECTION, RESOURCES_COLLECTION, UPLOADS_COLLECTION } from './models.js';

export const OBJECT_KEY_FIELDS: KeyField[] = [
  // Notes, assessments, treatment plans, and the clinics' handbooks.
  { collection: DOCUMENTS_COLLECTION, field: 'file.objectKey' },
  // Resources that are a file (a link has none).
  { collection: RESOURCES_COLLECTION, field: 'file.objectKey' },
  // Patients' and guardians' uploads.
  { collection: UPLOADS_COLLECTION, field: 'file.objectKey' },
  // Signed consent PDFs.
  { collection: CONSENTS_COLLECTION, field: 'signedPdf.objectKey' },
];
