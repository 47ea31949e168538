// The red badge with the number of consents waiting for a signature, next to the Documents menu
// item and the Consents section. Its text is read with the link ("2 consents to sign").
import { useTranslation } from 'react-i18next';
import { useConsents } from './consentsApi';
import './consents.css';

export function ConsentBadge({ patientId }: { patientId: string | null }) {
  const { t } = useTranslation();
  const count = useConsents(patientId).data?.outstandingCount ?? 0;
  if (count === 0) return null;
  return (
    <span className="count-badge" data-testid="consent-badge">
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{t('consents.badge', { count })}</span>
    </span>
  );
}
