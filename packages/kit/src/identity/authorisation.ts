// The one authorisation rule of Portico (DESIGN rule 2): a patient acts for themself, a guardian
// for the patients in their token's `patients` claim, staff for patients of their clinic.
import type { Principal } from './token-verifier.js';

export type ActingAs = 'patient' | 'guardian' | 'staff';

/**
 * How the principal may act for the patient, or undefined when it may not.
 * `patientClinicId` is the clinic the patient belongs to when the caller knows it; staff of another
 * clinic are refused. When it is unknown, staff act within their own clinic's records only.
 */
export function actingAs(principal: Principal, patientId: string, patientClinicId?: string): ActingAs | undefined {
  if (principal.roles.includes('patient') && principal.subject === patientId) return 'patient';
  if (principal.roles.includes('guardian') && principal.patients.includes(patientId)) return 'guardian';
  if (principal.roles.includes('staff') && principal.clinicId && (patientClinicId === undefined || patientClinicId === principal.clinicId))
    return 'staff';
  return undefined;
}
