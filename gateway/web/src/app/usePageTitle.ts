// Each page names itself in the browser tab: "Contacts · Riverside Clinic".
import { useEffect } from 'react';
import { useSession } from './session';

export function usePageTitle(title: string): void {
  const { organisation } = useSession();
  useEffect(() => {
    document.title = `${title} · ${organisation?.name || 'Patient portal'}`;
  }, [title, organisation?.name]);
}
