// The documents API of the gateway (seed step 6) for the patient the user acts for — clinical
// documents shared with them, resources, and their uploads — and the staff routes that share and
// file; with the queries and changes the screens make through the app's one cache.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { call, sendFile } from '../../app/api';
import type { ClinicalDocument, Resource, Upload } from '../../app/model';
import { keys } from '../../app/queryClient';

export type { ClinicalDocument, Resource, Upload };
export type DocumentKind = ClinicalDocument['kind'];
export const documentKinds = ['treatment_plan', 'assessment', 'note'] as const satisfies readonly DocumentKind[];

/** The largest file the portal takes (the documents service's default limit). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** What the Upload tool offers in the file chooser; the service decides from the bytes. */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.heic,.heif,.docx,application/pdf,image/jpeg,image/png,image/heic,image/heif';

const pageSize = 20;
const encode = encodeURIComponent;

/** A file's download address (an attachment the browser saves). */
export const fileUrl = {
  document: (patientId: string, id: string) => `/api/v1/patients/${encode(patientId)}/documents/${encode(id)}/file`,
  resource: (patientId: string, id: string) => `/api/v1/patients/${encode(patientId)}/resources/${encode(id)}/file`,
  upload: (patientId: string, id: string) => `/api/v1/patients/${encode(patientId)}/uploads/${encode(id)}/file`,
};

/** One of the patient's lists, page after page. */
function usePagedList<T>(
  key: readonly unknown[],
  patientId: string | null,
  fetchPage: (pageToken: string, signal: AbortSignal) => Promise<{ items: T[]; nextPageToken: string }>,
) {
  const result = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextPageToken || undefined,
    enabled: Boolean(patientId),
  });
  const items = useMemo(() => result.data?.pages.flatMap((page) => page.items) ?? null, [result.data]);
  return { ...result, items };
}

const page = (pageToken: string) => ({ pageSize: String(pageSize), ...(pageToken ? { pageToken } : {}) });

export function useClinicalDocuments(patientId: string | null) {
  return usePagedList(keys.clinicalDocuments(patientId ?? ''), patientId, async (pageToken, signal) => {
    const answer = await call('get', '/api/v1/patients/{patientId}/documents', {
      path: { patientId: patientId! },
      query: page(pageToken),
      signal,
    });
    return { items: answer.documents, nextPageToken: answer.nextPageToken };
  });
}

export function useResources(patientId: string | null) {
  return usePagedList(keys.resources(patientId ?? ''), patientId, async (pageToken, signal) => {
    const answer = await call('get', '/api/v1/patients/{patientId}/resources', {
      path: { patientId: patientId! },
      query: page(pageToken),
      signal,
    });
    return { items: answer.resources, nextPageToken: answer.nextPageToken };
  });
}

export function useUploads(patientId: string | null) {
  return usePagedList(keys.uploads(patientId ?? ''), patientId, async (pageToken, signal) => {
    const answer = await call('get', '/api/v1/patients/{patientId}/uploads', {
      path: { patientId: patientId! },
      query: page(pageToken),
      signal,
    });
    return { items: answer.uploads, nextPageToken: answer.nextPageToken };
  });
}

export function useClinicUploads(status: 'received' | 'filed') {
  return usePagedList(keys.clinicUploads(status), 'clinic', async (pageToken, signal) => {
    const answer = await call('get', '/api/v1/staff/uploads', { query: { status, ...page(pageToken) }, signal });
    return { items: answer.uploads, nextPageToken: answer.nextPageToken };
  });
}

/** Sends a file to the clinic for the patient, telling how far it has got. */
export function useUploadFile(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress, signal }: { file: File; onProgress: (sent: number, total: number) => void; signal: AbortSignal }) =>
      sendFile<{ upload: Upload }>(`/api/v1/patients/${encode(patientId)}/uploads`, file, { onProgress, signal }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.uploads(patientId) }),
  });
}

/** After a download the document is no longer new: the list is read again. */
export function useDocumentOpened(patientId: string) {
  const queryClient = useQueryClient();
  return () => {
    // The download happens in the browser; give the gateway a moment to record the opening.
    setTimeout(() => void queryClient.invalidateQueries({ queryKey: keys.clinicalDocuments(patientId) }), 1500);
  };
}

export interface NewClinicalDocument {
  kind: DocumentKind;
  title: string;
  documentDate: string;
  author: string;
  file: File;
}

export function useShareDocument(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, ...details }: NewClinicalDocument) =>
      sendFile<{ document: ClinicalDocument }>(
        `/api/v1/staff/patients/${encode(patientId)}/documents?${new URLSearchParams(details)}`,
        file,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.clinicalDocuments(patientId) }),
  });
}

export interface NewResource {
  /** One patient, or every patient of the clinic when null. */
  patientId: string | null;
  title: string;
  description: string;
  linkUrl: string;
  file: File | null;
}

export function useShareResource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ patientId, title, description, linkUrl, file }: NewResource) => {
      if (file) {
        const base = patientId ? `/api/v1/staff/patients/${encode(patientId)}/resources/file` : '/api/v1/staff/resources/file';
        return sendFile<{ resource: Resource }>(`${base}?${new URLSearchParams({ title, description })}`, file);
      }
      const body = { title, description, linkUrl };
      return patientId
        ? call('post', '/api/v1/staff/patients/{patientId}/resources', { path: { patientId }, body })
        : call('post', '/api/v1/staff/resources', { body });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['patients'] }),
  });
}

export function useFileUpload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (upload: Upload) =>
      call('post', '/api/v1/staff/patients/{patientId}/uploads/{uploadId}/filed', {
        path: { patientId: upload.patientId, uploadId: upload.id },
      }),
    onSuccess: (_answer, upload) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['staff', 'uploads'] }),
        queryClient.invalidateQueries({ queryKey: keys.uploads(upload.patientId) }),
      ]),
  });
}

/** "2.4 MB", "830 KB": sizes the way people read them. */
export function sizeText(bytes: number, locale?: string): string {
  const format = (value: number, unit: 'kilobyte' | 'megabyte') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
  return bytes >= 1024 * 1024 ? format(bytes / (1024 * 1024), 'megabyte') : format(Math.max(1, bytes / 1024), 'kilobyte');
}
