// Seed step 8: the patient's insurance coverages (active ones by priority, then inactive ones),
// the large yellow "Add Insurance" button that opens the pop-up, and edit and deactivate on each.
// The same list is a section of a patient's record for staff, with the card photos, who changed
// what, and the staff's verify / ask-for-information.
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { useClinicDates, type ClinicDates } from '../../app/dates';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatMoney } from './coverageForm';
import { CoverageDialog } from './CoverageDialog';
import { photoUrl, priorities, useCoverageChanges, useCoverages, type Coverage } from './insuranceApi';
import { CoverageReview } from './StaffReview';
import './insurance.css';

type Editing = { kind: 'add' } | { kind: 'edit'; coverage: Coverage } | null;

export function InsurancePage() {
  const { t } = useTranslation();
  const { patient, canSwitchPatient } = useSession();
  usePageTitle(t('insurance.title'));
  if (!patient) {
    return (
      <>
        <PageHeader title={t('insurance.title')} />
        <div className="card">
          <p>{canSwitchPatient ? t('insurance.choosePatient') : t('insurance.noPatient')}</p>
        </div>
      </>
    );
  }
  return (
    <InsuranceList patientId={patient.id} lead={canSwitchPatient ? t('insurance.leadFor', { name: patient.name }) : t('insurance.lead')} />
  );
}

/**
 * One patient's coverages: the Insurance page (`lead` given) or, with `staff`, a section of the
 * patient's record (headed h2, each coverage h3) with the staff's review.
 */
export function InsuranceList({ patientId, lead, staff = false }: { patientId: string; lead?: string; staff?: boolean }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const query = useCoverages(patientId);
  const coverages = query.data ?? null;
  const problem = query.error ? problemOfError(query.error) : null;
  const [editing, setEditing] = useState<Editing>(null);
  const [deactivating, setDeactivating] = useState<Coverage | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const targets = useRef(new Map<string, HTMLElement>());
  const changes = useCoverageChanges(patientId);

  useEffect(() => {
    if (!focusTarget) return;
    targets.current.get(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget, coverages, editing, deactivating]);

  const register = useCallback(
    (key: string) => (element: HTMLElement | null) => {
      if (element) targets.current.set(key, element);
      else targets.current.delete(key);
    },
    [],
  );

  const onSaved = (saved: Coverage, added: boolean) => {
    setEditing(null);
    announce(added ? t('insurance.added', { payer: saved.payerName }) : t('insurance.saved', { payer: saved.payerName }));
    setFocusTarget(`${saved.id}:heading`);
  };

  const deactivate = async (coverage: Coverage) => {
    const saved = await changes.deactivate.mutateAsync(coverage);
    setDeactivating(null);
    announce(t('insurance.deactivated', { payer: saved.payerName }));
    setFocusTarget(`${saved.id}:heading`);
  };

  const taken = new Set(coverages?.filter((c) => c.status === 'active').map((c) => c.priority));
  const suggestedPriority = priorities.find((p) => !taken.has(p)) ?? 'primary';

  const addButton = (
    <Button className="add-insurance" ref={register('add')} onClick={() => setEditing({ kind: 'add' })}>
      <span aria-hidden="true" className="add-insurance__icon">
        +
      </span>
      {t('insurance.addNew')}
    </Button>
  );

  return (
    <>
      {staff ? (
        <div className="section-header">
          <h2 id="insurance-heading">{t('insurance.title')}</h2>
          {addButton}
        </div>
      ) : (
        <PageHeader title={t('insurance.title')} lead={lead}>
          {addButton}
        </PageHeader>
      )}

      {problem && (
        <div className="card">
          <ProblemMessage problem={problem} heading={t('insurance.couldNotLoad')} />
          <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {!coverages && !problem && <Loading>{t('insurance.loading')}</Loading>}
      {coverages && coverages.length === 0 && (
        <div className="card empty-state">
          {staff ? <h3>{t('insurance.empty.title')}</h3> : <h2>{t('insurance.empty.title')}</h2>}
          <p>{staff ? t('insurance.empty.staff') : t('insurance.empty.body')}</p>
        </div>
      )}
      {coverages && coverages.length > 0 && (
        <ul className="coverage-list" aria-label={t('insurance.title')}>
          {coverages.map((coverage) => (
            <CoverageCard
              key={coverage.id}
              coverage={coverage}
              staff={staff}
              register={register}
              onEdit={() => setEditing({ kind: 'edit', coverage })}
              onDeactivate={() => setDeactivating(coverage)}
            />
          ))}
        </ul>
      )}

      {editing && (
        <CoverageDialog
          key={editing.kind === 'edit' ? editing.coverage.id : 'new'}
          patientId={patientId}
          {...(editing.kind === 'edit' ? { coverage: editing.coverage } : {})}
          suggestedPriority={suggestedPriority}
          onSaved={onSaved}
          onClose={() => {
            if (editing.kind === 'add') setFocusTarget('add');
            setEditing(null);
          }}
        />
      )}
      {deactivating && (
        <ConfirmDialog
          title={t('insurance.confirmDeactivate.title', { payer: deactivating.payerName })}
          confirmLabel={t('insurance.confirmDeactivate.confirm')}
          busyLabel={t('insurance.confirmDeactivate.busy')}
          variant="danger"
          onConfirm={() => deactivate(deactivating)}
          onClose={() => setDeactivating(null)}
        >
          <p>{t('insurance.confirmDeactivate.body')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** "From 1 Jan 2026 to 31 Dec 2026", "From 1 Jan 2026", or "Ended 30 Jun 2026": never "until present" for an ended one. */
function periodOf(coverage: Coverage, dates: ClinicDates, t: TFunction) {
  const day = (d: string) => dates.date(dates.instant(`${d}T12:00`));
  if (coverage.ended) return t('insurance.period.ended', { from: day(coverage.effectiveDate), to: day(coverage.endDate) });
  if (coverage.endDate) return t('insurance.period.until', { from: day(coverage.effectiveDate), to: day(coverage.endDate) });
  return t('insurance.period.open', { from: day(coverage.effectiveDate) });
}

function CoverageCard({
  coverage,
  staff,
  register,
  onEdit,
  onDeactivate,
}: {
  coverage: Coverage;
  staff: boolean;
  register: (key: string) => (element: HTMLElement | null) => void;
  onEdit(): void;
  onDeactivate(): void;
}) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const Heading = staff ? 'h3' : 'h2';
  const inactive = coverage.status === 'inactive';
  const subscriber =
    coverage.subscriber.relationship === 'self'
      ? t('insurance.relationships.self')
      : t('insurance.card.subscriberOther', {
          name: coverage.subscriber.name,
          relationship: t(`insurance.relationships.${coverage.subscriber.relationship}`),
          born: dates.date(dates.instant(`${coverage.subscriber.dateOfBirth}T12:00`)),
        });
  return (
    <li className={inactive || coverage.ended ? 'coverage-card coverage-card--inactive' : 'coverage-card'}>
      <div className="coverage-card__head">
        <Heading id={`coverage-${coverage.id}`} className="coverage-card__payer" tabIndex={-1} ref={register(`${coverage.id}:heading`)}>
          {coverage.payerName}
          {coverage.planName && <span className="coverage-card__plan"> · {coverage.planName}</span>}
        </Heading>
        <ul className="tags" aria-label={t('insurance.card.state')}>
          <li className="tag tag--priority">{t(`insurance.priorities.${coverage.priority}`)}</li>
          {inactive ? (
            <li className="badge badge--inactive">{t('insurance.status.inactive')}</li>
          ) : coverage.ended ? (
            <li className="badge badge--inactive">{t('insurance.status.ended')}</li>
          ) : null}
          <li className={`badge badge--${coverage.verification}`}>{t(`insurance.verification.${coverage.verification}`)}</li>
        </ul>
      </div>
      {coverage.verification === 'needs_information' && coverage.informationRequest && (
        <div className="coverage-card__request" role="note">
          <strong>{t('insurance.card.clinicAsks')}</strong> {coverage.informationRequest}
        </div>
      )}
      <dl className="coverage-card__details">
        <div>
          <dt>{t('insurance.fields.memberId')}</dt>
          <dd>{coverage.memberId}</dd>
        </div>
        {coverage.groupNumber && (
          <div>
            <dt>{t('insurance.fields.groupNumber')}</dt>
            <dd>{coverage.groupNumber}</dd>
          </div>
        )}
        <div>
          <dt>{t('insurance.fields.planType')}</dt>
          <dd>{t(`insurance.planTypes.${coverage.planType}`)}</dd>
        </div>
        <div>
          <dt>{t('insurance.card.period')}</dt>
          <dd>{periodOf(coverage, dates, t)}</dd>
        </div>
        <div>
          <dt>{t('insurance.fields.subscriber')}</dt>
          <dd>{subscriber}</dd>
        </div>
        {coverage.copay && (
          <div>
            <dt>{t('insurance.fields.copay')}</dt>
            <dd>{formatMoney(coverage.copay.amountMinor, coverage.copay.currencyCode)}</dd>
          </div>
        )}
      </dl>
      {(coverage.frontPhoto || coverage.backPhoto) && (
        <div className="coverage-card__photos">
          {(['front', 'back'] as const).map((side) =>
            coverage[`${side}Photo`] ? (
              <a key={side} href={photoUrl(coverage, side)} target="_blank" rel="noreferrer">
                <img
                  src={photoUrl(coverage, side)}
                  alt={t('insurance.photos.cardAlt', { side: t(`insurance.fields.${side}Photo`), payer: coverage.payerName })}
                  loading="lazy"
                />
              </a>
            ) : null,
          )}
        </div>
      )}
      {!inactive && (
        <div className="coverage-card__actions">
          <Button variant="secondary" onClick={onEdit} aria-describedby={`coverage-${coverage.id}`}>
            {t('insurance.edit')}
          </Button>
          <Button variant="quiet" onClick={onDeactivate} aria-describedby={`coverage-${coverage.id}`}>
            {t('insurance.deactivate')}
          </Button>
        </div>
      )}
      {staff && <CoverageReview coverage={coverage} />}
    </li>
  );
}
