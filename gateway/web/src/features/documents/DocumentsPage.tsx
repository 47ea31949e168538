// Seed step 6: the Documents menu of the patient the user acts for, in six sections — Forms and
// Surveys, Additional Surveys, Notes, Assessments and Treatment Plans, Consents, Resources, and
// the Upload tool. Each section has its own address (/documents/<section>) so it can be linked
// to and comes back with the browser's Back button.
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { PageHeader } from '../../components/PageHeader';
import { ClinicalDocumentList } from './ClinicalDocumentList';
import { ScreeningList } from '../screenings/ScreeningList';
import { ResourceList } from './ResourceList';
import { UploadTool } from './UploadTool';
import { ConsentBadge } from './consents/ConsentBadge';
import { ConsentList } from './consents/ConsentList';
import { FormList } from './forms/FormList';
import { SurveyList } from './forms/SurveyList';
import './documents.css';

export const sections = ['forms', 'surveys', 'clinical', 'consents', 'resources', 'upload'] as const;
export type Section = (typeof sections)[number];
const isSection = (value: string | undefined): value is Section => (sections as readonly string[]).includes(value ?? '');

export function DocumentsPage() {
  const { t } = useTranslation();
  const { section: given } = useParams();
  const section: Section = isSection(given) ? given : 'clinical';
  usePageTitle(`${t(`documents.sections.${section}`)} – ${t('documents.title')}`);
  const { me, patient, canSwitchPatient, patientPath } = useSession();
  const forSomeoneElse = patient !== null && patient.id !== me.user.id;

  if (!patient) {
    return (
      <>
        <PageHeader title={t('documents.title')} />
        <div className="card">
          <p>{canSwitchPatient ? t('documents.choosePatient') : t('documents.noPatient')}</p>
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('documents.title')}
        lead={forSomeoneElse ? t('documents.leadFor', { name: patient.name }) : t('documents.lead')}
      />
      <div className="documents-layout">
        <nav className="documents-nav" aria-label={t('documents.sectionsLabel')}>
          <ul>
            {sections.map((key) => (
              <li key={key}>
                <NavLink
                  to={patientPath(`/documents/${key}`)}
                  className="documents-nav__link"
                  aria-current={key === section ? 'page' : undefined}
                >
                  {t(`documents.sections.${key}`)}
                  {key === 'consents' && <ConsentBadge patientId={patient.id} />}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <section className="documents-section" aria-labelledby="documents-section-heading">
          <h2 id="documents-section-heading">{t(`documents.sections.${section}`)}</h2>
          <SectionContent key={`${patient.id}:${section}`} section={section} patientId={patient.id} />
        </section>
      </div>
    </>
  );
}

function SectionContent({ section, patientId }: { section: Section; patientId: string }) {
  switch (section) {
    case 'clinical':
      return <ClinicalDocumentList patientId={patientId} />;
    case 'resources':
      // Assigned screenings first: "Complete your PHQ-9" is what the clinic is waiting for.
      return (
        <>
          <ScreeningList patientId={patientId} />
          <ResourceList patientId={patientId} />
        </>
      );
    case 'upload':
      return <UploadTool patientId={patientId} />;
    case 'consents':
      return <ConsentList patientId={patientId} />;
    case 'forms':
      return <FormList patientId={patientId} />;
    case 'surveys':
      return <SurveyList patientId={patientId} />;
  }
}
