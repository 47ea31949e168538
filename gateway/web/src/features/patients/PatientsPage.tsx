// The staff workspace's front door: find a patient of the clinic by name, email or date of birth
// and open their record. The search is in the address (?q=&born=), so Back from a record returns to
// the same results.
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates } from '../../app/dates';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { StackedTable } from '../../components/StackedTable';
import { usePatientSearch, type ClinicPatient } from './patientsApi';
import './patients.css';

export function PatientsPage() {
  const { t } = useTranslation();
  usePageTitle(t('patients.title'));
  const announce = useAnnounce();
  const [search, setSearch] = useSearchParams();
  const query = search.get('q') ?? '';
  const born = search.get('born') ?? '';
  // The tokens of the pages before this one, to go back; the last is this page's.
  const [tokens, setTokens] = useState<string[]>(['']);
  const pageToken = tokens[tokens.length - 1]!;
  const results = usePatientSearch({ query, born }, pageToken);
  const form = useForm<{ query: string; born: string }>({ values: { query, born } });
  const dates = useClinicDates();
  // How the search reads in headings and announcements: "ada", "born 14 Mar 1990", or both.
  const described = [query, born ? t('patients.bornOn', { date: dates.dayOf(born, 'date') }) : ''].filter(Boolean).join(', ');

  const submit = form.handleSubmit((values) => {
    setTokens(['']);
    const next: Record<string, string> = {};
    if (values.query.trim()) next.q = values.query.trim();
    if (values.born) next.born = values.born;
    setSearch(next, { replace: true });
  });

  const patients = results.data?.patients;
  const settled = patients !== undefined && !results.isPlaceholderData;
  // Say how many were found once a search (or a page) has arrived.
  useEffect(() => {
    if (!settled) return;
    announce(
      described ? t('patients.found', { count: patients.length, query: described }) : t('patients.shown', { count: patients.length }),
    );
  }, [settled, patients, described, announce, t]);

  return (
    <>
      <PageHeader title={t('patients.title')} lead={t('patients.lead')} />
      <section className="card" aria-labelledby="patient-search-heading">
        <h2 id="patient-search-heading" className="visually-hidden">
          {t('patients.searchHeading')}
        </h2>
        <form role="search" onSubmit={submit} noValidate>
          <div className="field-row field-row--end">
            <FormField label={t('patients.searchLabel')} hint={t('patients.searchHint')} className="field-row__grow">
              {(control) => <input {...control} type="search" autoComplete="off" maxLength={100} {...form.register('query')} />}
            </FormField>
            <FormField label={t('patients.bornLabel')} hint={t('patients.bornHint')}>
              {(control) => <input {...control} type="date" max={dates.today()} min="1900-01-01" {...form.register('born')} />}
            </FormField>
            <Button type="submit" variant="primary">
              {t('patients.searchButton')}
            </Button>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="patient-results-heading" aria-busy={results.isFetching}>
        <h2 id="patient-results-heading">{described ? t('patients.resultsFor', { query: described }) : t('patients.allPatients')}</h2>
        {results.error && (
          <>
            <ProblemMessage problem={problemOfError(results.error)} heading={t('patients.couldNotLoad')} />
            <Button onClick={() => void results.refetch()}>{t('common.tryAgain')}</Button>
          </>
        )}
        {!patients && !results.error && <Loading>{t('patients.loading')}</Loading>}
        {patients && patients.length === 0 && <p>{described ? t('patients.noneFound', { query: described }) : t('patients.none')}</p>}
        {patients && patients.length > 0 && <PatientTable patients={patients} />}
        {(tokens.length > 1 || results.data?.nextPageToken) && (
          <nav className="pager" aria-label={t('patients.pages')}>
            <Button disabled={tokens.length === 1} onClick={() => setTokens((all) => all.slice(0, -1))}>
              {t('patients.previous')}
            </Button>
            <span className="pager__where">{t('patients.pageNumber', { number: tokens.length })}</span>
            <Button
              disabled={!results.data?.nextPageToken || results.isPlaceholderData}
              onClick={() => setTokens((all) => [...all, results.data!.nextPageToken])}
            >
              {t('patients.next')}
            </Button>
          </nav>
        )}
      </section>
    </>
  );
}

/** A table on a wide screen; on a narrow one each patient is a card, each value under its label. */
function PatientTable({ patients }: { patients: ClinicPatient[] }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const columns = [t('patients.columns.name'), t('patients.columns.born'), t('patients.columns.email'), t('patients.columns.account')];
  return (
    <StackedTable labelledBy="patient-results-heading" columns={columns}>
      {patients.map((patient) => (
        <tr key={patient.id}>
          <th scope="row">
            <Link to={`/staff/patients/${patient.id}`}>{patient.name || patient.email}</Link>
          </th>
          <td>{patient.dateOfBirth ? dates.dayOf(patient.dateOfBirth, 'date') : t('patients.bornUnknown')}</td>
          <td className="table__wrap">{patient.email}</td>
          <td>{accountWords(t, patient)}</td>
        </tr>
      ))}
    </StackedTable>
  );
}

export function accountWords(t: TFunction, patient: ClinicPatient): string {
  if (!patient.enabled) return t('patients.account.disabled');
  if (patient.invitationStatus === 'pending') return t('patients.account.invited');
  return t('patients.account.active');
}
