// Where a guardian's patient pages live: under /patients/{id}/…, so each tab keeps its own patient.
// The same pages answer without the prefix (bookmarks, links written before, a patient with one
// record): for a guardian that address moves to the prefixed one of the tab's patient.
import { Navigate, Outlet, useLocation, useParams } from 'react-router';
import { NotFoundPage } from './NotFoundPage';
import { useSession } from './session';

/** Unprefixed patient pages: a guardian with a chosen patient goes to that patient's address. */
export function GuardianAddress() {
  const { isStaff, canSwitchPatient, patient, patientPath } = useSession();
  const location = useLocation();
  if (!isStaff && canSwitchPatient && patient) {
    return <Navigate to={`${patientPath(location.pathname)}${location.search}${location.hash}`} replace />;
  }
  return <Outlet />;
}

/** /patients/{id}/…: the pages of the patient the address names, if this user may act for them. */
export function PatientInAddress() {
  const { isStaff, unknownPatientInAddress } = useSession();
  const { patientId = '' } = useParams();
  // Staff keep their own workspace's address for a patient's record.
  if (isStaff) return <Navigate to={`/staff/patients/${encodeURIComponent(patientId)}`} replace />;
  if (unknownPatientInAddress) return <NotFoundPage />;
  return <Outlet />;
}

/** The part of a patient page's address after /patients/{id}. */
export function withoutPatient(pathname: string): string {
  const match = /^\/patients\/[^/]+(\/.*)?$/.exec(pathname);
  return match ? (match[1] ?? '/') : pathname;
}
