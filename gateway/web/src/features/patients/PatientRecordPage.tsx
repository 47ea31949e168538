// A patient's record for staff: who the patient is (name, email, account, guardians) and one
// section per area the portal has, each acting for the patient in the address. The services
// decide what staff may do, under the same rules as everywhere.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, problemOfError } from '../../app/api';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Tabs } from '../../components/Tabs';
import { AppointmentList, periods } from '../appointments/AppointmentsPage';
import type { AppointmentPeriod } from '../appointments/appointmentsApi';
import { StaffBilling } from '../billing/StaffBilling';
import { StaffEstimates } from '../billing/estimates/StaffEstimates';
import { ContactBook } from '../contacts/ContactsPage';
import { InsuranceList } from '../insurance/InsurancePage';
import { PatientDocumentsSection } from '../documents/StaffDocuments';
import { PatientScreeningsSection } from '../screenings/StaffScreenings';
import { PatientConsentsSection } from '../documents/consents/StaffConsents';
import { PatientFormsSection } from '../documents/forms/StaffForms';
import { accountWords } from './PatientsPage';
import { usePatient } from './patientsApi';
import './patients.css';
import { useClinicDates } from '../../app/dates';

export function PatientRecordPage() {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const { patientId = '' } = useParams();
  const record = usePatient(patientId);
  const patient = record.data?.patient;
  usePageTitle(patient ? t('patientRecord.title', { name: patient.name }) : t('patientRecord.loadingTitle'));

  if (record.error) {
    const missing = record.error instanceof ApiError && (record.error.status === 404 || record.error.status === 400);
    return (
      <>
        <PageHeader title={missing ? t('patientRecord.notFound') : t('patientRecord.couldNotLoad')} />
        <div className="card">
          {missing ? (
            <p>{t('patientRecord.notFoundBody')}</p>
          ) : (
            <ProblemMessage problem={problemOfError(record.error)} heading={t('patientRecord.couldNotLoad')} />
          )}
          {!missing && <Button onClick={() => void record.refetch()}>{t('common.tryAgain')}</Button>}
          <p>
            <Link to="/staff/patients">{t('patientRecord.backToPatients')}</Link>
          </p>
        </div>
      </>
    );
  }
  if (!record.data || !patient) return <Loading>{t('patientRecord.loading')}</Loading>;
  const { guardians } = record.data;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/staff/patients">{t('patientRecord.backToPatients')}</Link>
      </p>
      <PageHeader title={patient.name || patient.email} lead={t('patientRecord.lead')} />
      <section className="card" aria-labelledby="patient-details-heading">
        <h2 id="patient-details-heading">{t('patientRecord.details')}</h2>
        <dl className="record-details">
          <div>
            <dt>{t('patients.columns.email')}</dt>
            <dd className="table__wrap">{patient.email || '—'}</dd>
          </div>
          <div>
            <dt>{t('patients.columns.born')}</dt>
            <dd>{patient.dateOfBirth ? dates.dayOf(patient.dateOfBirth, 'date') : t('patients.bornUnknown')}</dd>
          </div>
          <div>
            <dt>{t('patients.columns.account')}</dt>
            <dd>{accountWords(t, patient)}</dd>
          </div>
          <div>
            <dt>{t('patientRecord.guardians')}</dt>
            <dd>
              {guardians.length === 0 ? (
                t('patientRecord.noGuardians')
              ) : (
                <ul className="record-details__list">
                  {guardians.map((g) => (
                    <li key={g.id}>
                      {g.name || g.email}
                      {g.email && <span className="table__sub table__wrap">{g.email}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section className="record-section" aria-labelledby="contacts-heading">
        <ContactBook patientId={patient.id} patientName={patient.name} section />
      </section>

      <section className="record-section" aria-labelledby="insurance-heading">
        <InsuranceList patientId={patient.id} staff />
      </section>

      <section className="record-section" aria-labelledby="record-appointments-heading">
        <div className="section-header">
          <h2 id="record-appointments-heading">{t('menu.appointments')}</h2>
          <Link className="button button--secondary" to="/staff/appointments">
            {t('patientRecord.scheduling')}
          </Link>
        </div>
        <RecordAppointments patientId={patient.id} />
      </section>

      <section className="record-section" aria-labelledby="record-documents-heading">
        <PatientDocumentsSection patientId={patient.id} />
      </section>

      <section className="card record-section" aria-labelledby="record-forms-heading">
        <PatientFormsSection patientId={patient.id} />
      </section>

      <section className="card record-section" aria-labelledby="record-screenings-heading">
        <PatientScreeningsSection patientId={patient.id} />
      </section>

      <section className="card record-section" aria-labelledby="record-consents-heading">
        <PatientConsentsSection patientId={patient.id} />
      </section>

      <section className="record-section" aria-labelledby="record-billing-heading">
        <StaffBilling patientId={patient.id} />
      </section>

      <section className="record-section" aria-labelledby="record-estimates-heading">
        <StaffEstimates patientId={patient.id} />
      </section>

      <section className="card record-section" aria-labelledby="record-access-heading">
        <h2 id="record-access-heading">{t('menu.staffAccessHistory')}</h2>
        <p>{t('patientRecord.accessHistoryLead')}</p>
        <Link to={`/staff/access-history?patient=${encodeURIComponent(patient.id)}`}>
          {t('patientRecord.accessHistoryLink', { name: patient.name || patient.email })}
        </Link>
      </section>
    </>
  );
}

function RecordAppointments({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<AppointmentPeriod>('upcoming');
  return (
    <Tabs<AppointmentPeriod>
      label={t('appointments.tabsLabel')}
      tabs={periods.map((key) => ({ key, label: t(`appointments.tabs.${key}`) }))}
      selected={period}
      onSelect={setPeriod}
    >
      <AppointmentList key={`${patientId}:${period}`} patientId={patientId} period={period} headingLevel={3} />
    </Tabs>
  );
}
