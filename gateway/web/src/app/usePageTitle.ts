// Each page names itself in the browser tab: "Contacts · Riverside Clinic", and for whom when the
// user acts for someone else ("Contacts for Riley Chen · Riverside Clinic"), so two tabs of a
// guardian's two children can be told apart.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';

export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const { organisation, isStaff, me, patient } = useSession();
  const clinic = organisation?.name || t('shell.portalName');
  const forName = !isStaff && patient && patient.id !== me.user.id ? patient.name : null;
  useEffect(() => {
    document.title = forName
      ? t('shell.pageTitleFor', { page: title, patient: forName, clinic })
      : t('shell.pageTitle', { page: title, clinic });
  }, [title, clinic, forName, t]);
}
