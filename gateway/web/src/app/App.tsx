// The portal's routes. Home is the default; the staff pages live under /staff. Each area of the
// menu is its own chunk, loaded when it is first opened, so the first page needs only the shell.
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AnnouncerProvider } from './announcer';
import { LoggedOutPage } from './LoggedOutPage';
import { NotFoundPage } from './NotFoundPage';
import { GuardianAddress, PatientInAddress } from './patientAddress';
import { newQueryClient } from './queryClient';
import { SessionProvider, useSession } from './session';
import { Shell } from './Shell';
// Small and shown to patients who open a staff address: not worth a chunk of the staff pages.
import { StaffOnly } from '../features/staff/StaffOnly';

const HomePage = lazy(() => import('../features/home/HomePage').then((m) => ({ default: m.HomePage })));
const AppointmentsPage = lazy(() => import('../features/appointments/AppointmentsPage').then((m) => ({ default: m.AppointmentsPage })));
const StaffSchedulePage = lazy(() => import('../features/appointments/StaffSchedulePage').then((m) => ({ default: m.StaffSchedulePage })));
const EmailPreferencesPage = lazy(() =>
  import('../features/account/EmailPreferencesPage').then((m) => ({ default: m.EmailPreferencesPage })),
);
const ScreeningPage = lazy(() => import('../features/screenings/ScreeningPage').then((m) => ({ default: m.ScreeningPage })));
const ConsentSigningPage = lazy(() =>
  import('../features/documents/consents/ConsentSigningPage').then((m) => ({ default: m.ConsentSigningPage })),
);
const FormPage = lazy(() => import('../features/documents/forms/FormPage').then((m) => ({ default: m.FormPage })));
const DocumentsPage = lazy(() => import('../features/documents/DocumentsPage').then((m) => ({ default: m.DocumentsPage })));
const StaffUploadsPage = lazy(() => import('../features/documents/StaffDocuments').then((m) => ({ default: m.StaffUploadsPage })));
const InsurancePage = lazy(() => import('../features/insurance/InsurancePage').then((m) => ({ default: m.InsurancePage })));
const StaffInsurancePage = lazy(() => import('../features/insurance/StaffInsurancePage').then((m) => ({ default: m.StaffInsurancePage })));
const BillingPage = lazy(() => import('../features/billing/BillingPage').then((m) => ({ default: m.BillingPage })));
const StaffPaymentsPage = lazy(() => import('../features/billing/StaffPaymentsPage').then((m) => ({ default: m.StaffPaymentsPage })));
const ContactsPage = lazy(() => import('../features/contacts/ContactsPage').then((m) => ({ default: m.ContactsPage })));
const InvitationsPage = lazy(() => import('../features/staff/InvitationsPage').then((m) => ({ default: m.InvitationsPage })));
const UsersPage = lazy(() => import('../features/staff/UsersPage').then((m) => ({ default: m.UsersPage })));
const WhoOpenedMyRecordPage = lazy(() =>
  import('../features/access-history/WhoOpenedMyRecordPage').then((m) => ({ default: m.WhoOpenedMyRecordPage })),
);
const StaffAccessHistoryPage = lazy(() =>
  import('../features/access-history/StaffAccessHistoryPage').then((m) => ({ default: m.StaffAccessHistoryPage })),
);
const PatientsPage = lazy(() => import('../features/patients/PatientsPage').then((m) => ({ default: m.PatientsPage })));
const PatientRecordPage = lazy(() => import('../features/patients/PatientRecordPage').then((m) => ({ default: m.PatientRecordPage })));
const OrganisationPage = lazy(() => import('../features/staff/OrganisationPage').then((m) => ({ default: m.OrganisationPage })));

/**
 * The pages of the patient acted for, mounted twice: at / and under /patients/{id} (the guardian's
 * addresses, see patientAddress.tsx). Paths are relative so both mounts keep their prefix.
 */
const patientPages = (
  <>
    <Route path="appointments" element={<AppointmentsPage />} />
    <Route path="documents" element={<Navigate to="clinical" replace />} />
    <Route path="documents/:section" element={<DocumentsPage />} />
    <Route path="documents/screenings/:screeningId" element={<ScreeningPage />} />
    <Route path="documents/consents/:consentId" element={<ConsentSigningPage />} />
    <Route path="documents/forms/:formId" element={<FormPage />} />
    <Route path="billing/*" element={<BillingPage />} />
    <Route path="insurance" element={<InsurancePage />} />
    <Route path="contacts" element={<ContactsPage />} />
    <Route path="access-history" element={<WhoOpenedMyRecordPage />} />
  </>
);

/** Staff start at their workspace's Patients; patients and guardians at Home. */
function Landing() {
  const { isStaff } = useSession();
  return isStaff ? <Navigate to="/staff/patients" replace /> : <HomePage />;
}

export function App() {
  const [queryClient] = useState(newQueryClient);
  // Where Keycloak sends a person who logged out: nobody is signed in there, so it stands outside the session.
  if (window.location.pathname === '/logged-out') return <LoggedOutPage />;
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionProvider>
          <AnnouncerProvider>
            <Routes>
              <Route element={<Shell />}>
                <Route element={<GuardianAddress />}>
                  <Route index element={<Landing />} />
                  {patientPages}
                </Route>
                <Route path="patients/:patientId" element={<PatientInAddress />}>
                  <Route index element={<HomePage />} />
                  {patientPages}
                </Route>
                <Route path="account/email-preferences" element={<EmailPreferencesPage />} />
                <Route path="staff">
                  <Route index element={<Navigate to="patients" replace />} />
                  <Route
                    path="patients"
                    element={
                      <StaffOnly>
                        <PatientsPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="patients/:patientId"
                    element={
                      <StaffOnly>
                        <PatientRecordPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="patients/:patientId/screenings/:screeningId"
                    element={
                      <StaffOnly>
                        <ScreeningPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="patients/:patientId/forms/:formId"
                    element={
                      <StaffOnly>
                        <FormPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="invitations"
                    element={
                      <StaffOnly>
                        <InvitationsPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="appointments"
                    element={
                      <StaffOnly>
                        <StaffSchedulePage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="uploads"
                    element={
                      <StaffOnly>
                        <StaffUploadsPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="insurance"
                    element={
                      <StaffOnly>
                        <StaffInsurancePage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="billing/payments"
                    element={
                      <StaffOnly>
                        <StaffPaymentsPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="users"
                    element={
                      <StaffOnly>
                        <UsersPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="access-history"
                    element={
                      <StaffOnly>
                        <StaffAccessHistoryPage />
                      </StaffOnly>
                    }
                  />
                  <Route
                    path="organisation"
                    element={
                      <StaffOnly>
                        <OrganisationPage />
                      </StaffOnly>
                    }
                  />
                </Route>
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </AnnouncerProvider>
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
