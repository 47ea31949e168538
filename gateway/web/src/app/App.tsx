// The portal's routes. Home is the default; the staff pages live under /staff.
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AnnouncerProvider } from './announcer';
import { NotFoundPage } from './NotFoundPage';
import { SessionProvider } from './session';
import { Shell } from './Shell';
import { ContactsPage } from '../features/contacts/ContactsPage';
import { HomePage } from '../features/home/HomePage';
import { ComingSoonPage, comingSoon } from '../features/placeholders/ComingSoonPage';
import { InvitationsPage } from '../features/staff/InvitationsPage';
import { OrganisationPage } from '../features/staff/OrganisationPage';
import { StaffOnly } from '../features/staff/StaffOnly';
import { UsersPage } from '../features/staff/UsersPage';

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AnnouncerProvider>
          <Routes>
            <Route element={<Shell />}>
              <Route index element={<HomePage />} />
              <Route path="appointments" element={<ComingSoonPage {...comingSoon.appointments} />} />
              <Route path="documents" element={<ComingSoonPage {...comingSoon.documents} />} />
              <Route path="billing" element={<ComingSoonPage {...comingSoon.billing} />} />
              <Route path="insurance" element={<ComingSoonPage {...comingSoon.insurance} />} />
              <Route path="contacts" element={<ContactsPage />} />
              <Route path="staff">
                <Route index element={<Navigate to="invitations" replace />} />
                <Route
                  path="invitations"
                  element={
                    <StaffOnly>
                      <InvitationsPage />
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
  );
}
