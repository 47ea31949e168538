// Which patients a guardian may act for (DESIGN rule 2: the guardian's token carries them in its
// `patients` claim). No I/O here.

export interface GuardianLinks {
  guardianId: string;
  clinicId: string;
  patientIds: string[];
  updatedAt: Date;
  /** 0 while nothing is stored for the guardian. */
  version: number;
}

/** Links of a guardian Portico has no record of yet, starting from what Keycloak holds. */
export const unrecordedLinks = (guardianId: string, clinicId: string, patientIds: string[], now: Date): GuardianLinks => ({
  guardianId,
  clinicId,
  patientIds: [...new Set(patientIds)],
  updatedAt: now,
  version: 0,
});

/** The links with the patient added, or undefined when it already was there. */
export function linkPatient(links: GuardianLinks, patientId: string, now: Date): GuardianLinks | undefined {
  if (links.patientIds.includes(patientId)) return undefined;
  return { ...links, patientIds: [...links.patientIds, patientId], updatedAt: now, version: links.version + 1 };
}

/** The links without the patient, or undefined when it was not there. */
export function unlinkPatient(links: GuardianLinks, patientId: string, now: Date): GuardianLinks | undefined {
  if (!links.patientIds.includes(patientId)) return undefined;
  return { ...links, patientIds: links.patientIds.filter((id) => id !== patientId), updatedAt: now, version: links.version + 1 };
}

export const samePatients = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));
