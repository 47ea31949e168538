// Home's "Next appointment": the soonest visit still to come that is not cancelled — its day, time
// in the clinic's zone, with whom and how — and the way to all of them on the Appointments page.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemOfError } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import type { PatientRef } from '../../app/model';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useNextAppointment } from '../appointments/appointmentsApi';
import { timeWords } from '../appointments/appointmentWords';

export function NextAppointment({ patient, forSomeoneElse }: { patient: PatientRef; forSomeoneElse: boolean }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const next = useNextAppointment(patient.id);
  const appointment = next.data;
  const when = appointment ? timeWords(t, dates, appointment) : null;

  return (
    <section className="card next-appointment" aria-labelledby="next-appointment-heading">
      <h2 id="next-appointment-heading">
        {forSomeoneElse ? t('home.nextAppointment.headingFor', { name: patient.name }) : t('home.nextAppointment.heading')}
      </h2>
      {next.error && <ProblemMessage problem={problemOfError(next.error)} heading={t('home.nextAppointment.couldNotLoad')} />}
      {next.isPending && <Loading>{t('home.nextAppointment.loading')}</Loading>}
      {next.isSuccess && !appointment && <p>{t('home.nextAppointment.none')}</p>}
      {appointment && when && (
        <>
          <p className="next-appointment__day">
            <time dateTime={appointment.startsAt}>{when.day}</time>
          </p>
          <p className="next-appointment__time">
            {t('home.nextAppointment.time', { start: when.start, end: when.end })}{' '}
            <span className="next-appointment__zone">{when.zone}</span>
          </p>
          <p className="next-appointment__what">
            {t(appointment.mode === 'telehealth' ? 'home.nextAppointment.videoWith' : 'home.nextAppointment.inPersonWith', {
              service: appointment.serviceType,
              clinician: appointment.clinicianName,
            })}
          </p>
        </>
      )}
      <p>
        <Link to="/appointments">{t('home.nextAppointment.all')}</Link>
      </p>
    </section>
  );
}
