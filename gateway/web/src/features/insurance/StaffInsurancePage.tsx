// The staff's work list of the clinic's insurance: every patient's coverages, latest change first,
// by state (those waiting for the clinic first), each with a link to the patient's record where
// staff see the photos and the changes and verify or ask for information.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call, problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import { keys } from '../../app/queryClient';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Tabs } from '../../components/Tabs';
import type { Coverage } from './insuranceApi';
import './insurance.css';

type Filter = 'submitted' | 'needs_information' | 'verified' | 'all';
const filters: Filter[] = ['submitted', 'needs_information', 'verified', 'all'];
const PAGE_SIZE = '25';

export function StaffInsurancePage() {
  const { t } = useTranslation();
  usePageTitle(t('insurance.staff.title'));
  const [filter, setFilter] = useState<Filter>('submitted');
  return (
    <>
      <PageHeader title={t('insurance.staff.title')} lead={t('insurance.staff.lead')} />
      <Tabs<Filter>
        label={t('insurance.staff.filterLabel')}
        tabs={filters.map((key) => ({ key, label: t(`insurance.staff.filters.${key}`) }))}
        selected={filter}
        onSelect={setFilter}
      >
        <ClinicCoverages key={filter} filter={filter} />
      </Tabs>
    </>
  );
}

function ClinicCoverages({ filter }: { filter: Filter }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const [pageToken, setPageToken] = useState('');
  const query = useQuery({
    queryKey: [...keys.clinicCoverages, filter, pageToken],
    queryFn: ({ signal }) =>
      call('get', '/api/v1/staff/insurance', {
        query: { ...(filter === 'all' ? {} : { verification: filter }), pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) },
        signal,
      }),
  });
  if (query.error)
    return (
      <div className="card">
        <ProblemMessage problem={problemOfError(query.error)} heading={t('insurance.staff.couldNotLoad')} />
        <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
      </div>
    );
  if (!query.data) return <Loading>{t('insurance.loading')}</Loading>;
  const { coverages, patients, nextPageToken } = query.data;
  const names = new Map(patients.map((p) => [p.id, p.name]));
  if (coverages.length === 0)
    return (
      <div className="card empty-state">
        <p>{t(`insurance.staff.empty.${filter}`)}</p>
      </div>
    );
  return (
    <>
      <ul className="coverage-list" aria-label={t(`insurance.staff.filters.${filter}`)}>
        {coverages.map((coverage: Coverage) => {
          const name = names.get(coverage.patientId) || t('insurance.staff.unnamed');
          return (
            <li key={coverage.id} className="coverage-card">
              <h2 className="coverage-card__payer">{name}</h2>
              <p className="coverage-card__plan">
                {coverage.payerName} · {t(`insurance.priorities.${coverage.priority}`)}
              </p>
              <ul className="tags" aria-label={t('insurance.card.state')}>
                {coverage.status === 'inactive' && <li className="badge badge--inactive">{t('insurance.status.inactive')}</li>}
                {coverage.status === 'active' && coverage.ended && <li className="badge badge--inactive">{t('insurance.status.ended')}</li>}
                <li className={`badge badge--${coverage.verification}`}>{t(`insurance.verification.${coverage.verification}`)}</li>
              </ul>
              <p>{t('insurance.staff.changed', { when: dates.dateTime(coverage.updatedAt) })}</p>
              <div className="coverage-card__actions">
                <Link
                  to={`/staff/patients/${coverage.patientId}`}
                  aria-label={t('insurance.staff.openRecordOf', { name, payer: coverage.payerName })}
                >
                  {t('insurance.staff.openRecord')}
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="form-actions">
        {pageToken && <Button onClick={() => setPageToken('')}>{t('insurance.staff.firstPage')}</Button>}
        {nextPageToken && <Button onClick={() => setPageToken(nextPageToken)}>{t('insurance.staff.nextPage')}</Button>}
      </div>
    </>
  );
}
