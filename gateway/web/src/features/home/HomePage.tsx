// Seed step 3: the page a patient lands on — the clinic's welcome message, the next appointment,
// how to reach the clinic, and the client handbook to download.
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Organisation } from '../../app/model';
import { formatPhone, telHref } from '../../app/phone';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { Loading } from '../../components/Loading';
import { NextAppointment } from './NextAppointment';

export function HomePage() {
  const { t } = useTranslation();
  const { me, organisation, organisationProblem, patient, canSwitchPatient, patientPath } = useSession();
  usePageTitle(t('home.title'));
  const firstName = me.user.name.split(' ')[0] || me.user.name;

  return (
    <>
      <PageHeader
        title={organisation?.name ? t('home.welcomeTo', { clinic: organisation.name }) : t('home.welcome')}
        lead={
          canSwitchPatient && patient ? (
            <Trans i18nKey="home.helloActingFor" values={{ name: firstName, patient: patient.name }} components={{ strong: <strong /> }} />
          ) : (
            t('home.hello', { name: firstName })
          )
        }
      />
      {organisationProblem && <ProblemMessage problem={organisationProblem} heading={t('home.clinicCouldNotLoad')} />}
      {!organisation && !organisationProblem && <Loading>{t('home.loadingClinic')}</Loading>}
      {organisation && (
        <div className="home-grid">
          <section className="card home-welcome" aria-labelledby="welcome-heading">
            <h2 id="welcome-heading">{t('home.messageHeading')}</h2>
            <WelcomeMessage text={organisation.welcomeMessage} />
          </section>
          {patient && <NextAppointment patient={patient} forSomeoneElse={patient.id !== me.user.id} />}
          <ClinicContact organisation={organisation} />
          <Handbook organisation={organisation} />
          <section className="card" aria-labelledby="shortcuts-heading">
            <h2 id="shortcuts-heading">{t('home.shortcutsHeading')}</h2>
            <ul className="shortcut-list">
              <li>
                <Trans i18nKey="home.shortcutContacts" components={{ contacts: <Link to={patientPath('/contacts')} /> }} />
              </li>
              <li>
                <Trans i18nKey="home.shortcutAppointments" components={{ appointments: <Link to={patientPath('/appointments')} /> }} />
              </li>
              <li>
                <Trans i18nKey="home.shortcutDocuments" components={{ documents: <Link to={patientPath('/documents')} /> }} />
              </li>
              <li>
                <Trans i18nKey="home.shortcutBilling" components={{ billing: <Link to={patientPath('/billing')} /> }} />
              </li>
              <li>
                <Trans i18nKey="home.shortcutInsurance" components={{ insurance: <Link to={patientPath('/insurance')} /> }} />
              </li>
            </ul>
          </section>
        </div>
      )}
    </>
  );
}

function WelcomeMessage({ text }: { text: string }) {
  const { t } = useTranslation();
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paragraphs.length === 0) return <p>{t('home.defaultWelcome')}</p>;
  return (
    <div className="welcome-message">
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

function ClinicContact({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const { address, phone, email, hours } = organisation;
  const addressLines = [address.line1, address.line2, [address.city, address.region, address.postalCode].filter(Boolean).join(', ')].filter(
    (line): line is string => Boolean(line && line.trim()),
  );
  if (addressLines.length === 0 && !phone && !email && hours.length === 0) {
    return (
      <section className="card" aria-labelledby="contact-heading">
        <h2 id="contact-heading">{t('home.contactHeading')}</h2>
        <p>{t('home.noContactDetails')}</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">{t('home.contactHeading')}</h2>
      <address className="clinic-contact">
        {addressLines.length > 0 && (
          <div className="clinic-contact__row">
            <Icon name="pin" />
            <div>
              <span className="visually-hidden">{t('home.addressLabel')} </span>
              {addressLines.map((line) => (
                <span key={line} className="clinic-contact__line">
                  {line}
                </span>
              ))}
            </div>
          </div>
        )}
        {phone && (
          <div className="clinic-contact__row">
            <Icon name="phone" />
            <div>
              <span className="visually-hidden">{t('home.phoneLabel')} </span>
              <a href={telHref(phone)}>{formatPhone(phone)}</a>
            </div>
          </div>
        )}
        {email && (
          <div className="clinic-contact__row">
            <Icon name="mail" />
            <div>
              <span className="visually-hidden">{t('home.emailLabel')} </span>
              <a href={`mailto:${email}`}>{email}</a>
            </div>
          </div>
        )}
      </address>
      {hours.length > 0 && (
        <>
          <h3 className="clinic-contact__hours-heading">
            <Icon name="clock" /> {t('home.hoursHeading')}
          </h3>
          <ul className="clinic-contact__hours">
            {hours.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Handbook({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="handbook-heading">
      <h2 id="handbook-heading">{t('home.handbookHeading')}</h2>
      {organisation.hasHandbook ? (
        <>
          <p>{t('home.handbookAbout')}</p>
          <a className="button button--primary" href="/api/v1/organisation/handbook" download={organisation.handbookFileName || true}>
            <Icon name="download" />
            {t('home.handbookDownload')}
          </a>
          <p className="download-note">
            {organisation.handbookFileName ? t('home.handbookFile', { file: organisation.handbookFileName }) : t('home.handbookPdf')}
          </p>
        </>
      ) : (
        <p>{t('home.noHandbook')}</p>
      )}
    </section>
  );
}
