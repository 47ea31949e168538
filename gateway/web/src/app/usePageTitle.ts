// Each page names itself in the browser tab: "Contacts · Riverside Clinic".
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';

export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const { organisation } = useSession();
  const clinic = organisation?.name || t('shell.portalName');
  useEffect(() => {
    document.title = t('shell.pageTitle', { page: title, clinic });
  }, [title, clinic, t]);
}
