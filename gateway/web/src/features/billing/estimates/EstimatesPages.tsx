// Billing → Estimates: the patient's Good Faith Estimates (No Surprises Act) and one estimate with
// everything 45 CFR 149.610 asks it to say — the patient, the primary service and its date, each
// provider (name, NPI, tax id, location) with the expected services, codes and charges, the
// disclaimers and how to dispute. When a provider billed $400 or more over their estimate, the
// notice says so at the top with the deadline to dispute. The patient (or guardian) approves or
// declines the current version by electronic signature in a dialog: the electronic-records
// disclosure accepted, the statement of intent, and their typed full name.
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { problemOfError, type Problem } from '../../../app/api';
import { useAnnounce } from '../../../app/announcer';
import { useClinicDates } from '../../../app/dates';
import { Button } from '../../../components/Button';
import { Dialog } from '../../../components/Dialog';
import { FieldGroup, TextField } from '../../../components/FormField';
import { Loading } from '../../../components/Loading';
import { ProblemMessage } from '../../../components/ProblemMessage';
import { ScrollTable } from '../../../components/ScrollTable';
import { formatMoney } from '../money';
import { estimatePdfUrl, useEstimate, useEstimateChanges, useEstimates, useSigningDisclosure, type Estimate } from './estimatesApi';
import './estimates.css';

const statusClass = { awaiting_decision: 'badge--info', approved: 'badge--success', declined: 'badge--warning' } as const;
const statusKey = { awaiting_decision: 'awaitingDecision', approved: 'approved', declined: 'declined' } as const;

export function EstimatesList({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const dates = useClinicDates();
  const query = useEstimates(patientId);
  return (
    <section aria-labelledby="billing-estimates-heading" className="billing-section">
      <h2 id="billing-estimates-heading">{t('billing.sections.estimates')}</h2>
      <p>{t('estimates.lead')}</p>
      {query.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : query.error ? (
        <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />
      ) : query.data.length === 0 ? (
        <p>{t('estimates.none')}</p>
      ) : (
        <ul className="billing-list">
          {query.data.map((estimate) => (
            <li key={estimate.id} className="card billing-item">
              <h3>
                <Link to={`/billing/estimates/${encodeURIComponent(estimate.id)}`}>
                  {t('estimates.heading', { service: estimate.primaryService })}
                </Link>
              </h3>
              <p>
                <span className={`badge ${statusClass[estimate.status]}`}>{t(`estimates.status.${statusKey[estimate.status]}`)}</span>{' '}
                {t('estimates.summary', {
                  total: formatMoney(estimate.total),
                  date: dates.dayOf(estimate.primaryServiceDate, 'shortDay'),
                })}
              </p>
              {estimate.exceeded.length > 0 && <p className="estimate-flag">{t('estimates.exceeded.flag')}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function EstimateDetail({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const { estimateId = '' } = useParams();
  const dates = useClinicDates();
  const query = useEstimate(patientId, estimateId);
  const [signing, setSigning] = useState<'approve' | 'decline' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const announce = useAnnounce();
  // After a decision, focus goes to the estimate's heading once the dialog is gone: the dialog's
  // own cleanup hands focus back to its opener (a button the decision removes), so focusing any
  // earlier can be undone by it.
  const focusHeadingAfterDialog = useRef(false);
  useEffect(() => {
    if (signing !== null || !focusHeadingAfterDialog.current) return;
    focusHeadingAfterDialog.current = false;
    heading.current?.focus();
  }, [signing]);
  if (query.isPending) return <Loading>{t('billing.loading')}</Loading>;
  if (query.error) return <ProblemMessage problem={problemOfError(query.error)} heading={t('billing.couldNotLoad')} />;
  const estimate = query.data;
  const providerName = (npi: string) => estimate.providers.find((p) => p.npi === npi)?.name ?? npi;

  const signed = (decided: Estimate) => {
    // The buttons that opened the dialog are gone with the decision: focus goes to the estimate's heading.
    focusHeadingAfterDialog.current = true;
    setSigning(null);
    announce(t(decided.status === 'approved' ? 'estimates.sign.approved' : 'estimates.sign.declined'));
  };

  return (
    <section aria-labelledby="billing-estimate-heading" className="billing-section estimate">
      <h2 id="billing-estimate-heading" ref={heading} tabIndex={-1}>
        {t('estimates.heading', { service: estimate.primaryService })}
      </h2>
      {estimate.exceeded.length > 0 && (
        <div className="estimate-notice" role="region" aria-labelledby="estimate-notice-heading">
          <h3 id="estimate-notice-heading">{t('estimates.exceeded.title')}</h3>
          {estimate.exceeded.map((notice) => (
            <p key={notice.providerNpi}>
              {t('estimates.exceeded.provider', {
                provider: providerName(notice.providerNpi),
                billed: formatMoney(notice.billed),
                estimated: formatMoney(notice.estimated),
                excess: formatMoney(notice.excess),
              })}{' '}
              <strong>
                {t('estimates.exceeded.deadline', {
                  deadline: dates.dayOf(notice.disputeDeadline),
                  billDate: dates.dayOf(notice.billDate, 'shortDay'),
                })}
              </strong>
            </p>
          ))}
          <p>{estimate.disputeInstructions}</p>
        </div>
      )}
      <p>
        <span className={`badge ${statusClass[estimate.status]}`}>{t(`estimates.status.${statusKey[estimate.status]}`)}</span>{' '}
        {estimate.decision
          ? t('estimates.decidedBy', { name: estimate.decision.typedName, date: dates.date(estimate.decision.decidedAt) })
          : t('estimates.version', { version: estimate.version, date: dates.date(estimate.issuedAt) })}
      </p>
      {estimate.status === 'awaiting_decision' && (
        <div className="billing-staff-actions">
          <Button variant="primary" onClick={() => setSigning('approve')}>
            {t('estimates.reviewApprove')}
          </Button>
          <Button onClick={() => setSigning('decline')}>{t('estimates.decline')}</Button>
        </div>
      )}
      <dl className="estimate-facts">
        <dt>{t('estimates.patient')}</dt>
        <dd>{estimate.patientName}</dd>
        <dt>{t('estimates.dateOfBirth')}</dt>
        <dd>{dates.dayOf(estimate.patientDateOfBirth)}</dd>
        <dt>{t('estimates.primaryService')}</dt>
        <dd>{estimate.primaryService}</dd>
        <dt>{t('estimates.serviceDate')}</dt>
        <dd>{dates.dayOf(estimate.primaryServiceDate)}</dd>
        <dt>{t('estimates.clinic')}</dt>
        <dd>{estimate.clinicName}</dd>
      </dl>
      {estimate.providers.map((provider, index) => {
        const total = estimate.providerTotals.find((p) => p.providerNpi === provider.npi);
        const l = provider.location;
        const headingId = `estimate-provider-${index}`;
        return (
          <div key={provider.npi} className="estimate-provider">
            <h3 id={headingId}>{provider.name}</h3>
            <p>
              {t('estimates.providerIds', { npi: provider.npi, tin: provider.taxId })}
              <br />
              {[l.line1, l.line2, l.city, l.region, l.postalCode].filter(Boolean).join(', ')}
            </p>
            <ScrollTable
              labelledBy={headingId}
              columns={[
                t('estimates.code'),
                t('estimates.diagnoses'),
                t('billing.lines.description'),
                t('billing.lines.units'),
                t('estimates.charge'),
              ]}
            >
              {estimate.items
                .filter((item) => item.providerNpi === provider.npi)
                .map((item, i) => (
                  <tr key={i}>
                    <td>{[item.serviceCode, ...item.modifiers].join('-')}</td>
                    <td>{item.diagnosisCodes.join(', ')}</td>
                    <td>{item.description}</td>
                    <td>{item.units}</td>
                    <td>{formatMoney(item.charge)}</td>
                  </tr>
                ))}
            </ScrollTable>
            {total && <p>{t('estimates.providerTotal', { estimated: formatMoney(total.estimated), billed: formatMoney(total.billed) })}</p>}
          </div>
        );
      })}
      <p className="billing-item__due">{t('estimates.total', { total: formatMoney(estimate.total) })}</p>
      <h3>{t('estimates.disclaimers')}</h3>
      <ul>
        {estimate.disclaimers.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      <h3>{t('estimates.disputeTitle')}</h3>
      <p>{estimate.disputeInstructions}</p>
      <p>
        <a href={estimatePdfUrl(patientId, estimate.id)} download>
          {t('estimates.download')}
        </a>
      </p>
      <p>
        <Link to="/billing/estimates">{t('estimates.back')}</Link>
      </p>
      {signing && (
        <SignEstimateDialog patientId={patientId} estimate={estimate} kind={signing} onSigned={signed} onClose={() => setSigning(null)} />
      )}
    </section>
  );
}

interface SignatureForm {
  disclosureAccepted: boolean;
  intent: boolean;
  typedName: string;
}

const INTENT = { approve: 'I approve this estimate', decline: 'I decline this estimate' } as const;

/** The electronic signature on the version shown: the disclosure, the statement of intent, the typed full name. */
function SignEstimateDialog({
  patientId,
  estimate,
  kind,
  onSigned,
  onClose,
}: {
  patientId: string;
  estimate: Estimate;
  kind: 'approve' | 'decline';
  onSigned(estimate: Estimate): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const disclosure = useSigningDisclosure();
  const { decide } = useEstimateChanges(patientId);
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<SignatureForm>({ defaultValues: { disclosureAccepted: false, intent: false, typedName: '' } });
  const { register, handleSubmit, formState } = form;
  const { errors } = formState;

  const submit = handleSubmit(async (values) => {
    if (!disclosure.data) return;
    setProblem(null);
    try {
      onSigned(
        await decide.mutateAsync({
          estimateId: estimate.id,
          body: {
            version: estimate.version,
            decision: kind,
            typedName: values.typedName,
            intentStatement: INTENT[kind],
            disclosureVersion: disclosure.data.version,
            disclosureAccepted: values.disclosureAccepted,
          },
        }),
      );
    } catch (error) {
      setProblem(problemOfError(error));
    }
  });

  return (
    <Dialog
      title={t(kind === 'approve' ? 'estimates.sign.approveTitle' : 'estimates.sign.declineTitle')}
      description={t('estimates.sign.description', { total: formatMoney(estimate.total), version: estimate.version })}
      onClose={onClose}
      unsavedChanges={formState.isDirty}
    >
      {disclosure.isPending ? (
        <Loading>{t('billing.loading')}</Loading>
      ) : disclosure.error ? (
        <ProblemMessage problem={problemOfError(disclosure.error)} heading={t('billing.couldNotLoad')} />
      ) : (
        <form onSubmit={submit} noValidate>
          {problem && <ProblemMessage problem={problem} heading={t('estimates.sign.notSigned')} />}
          <h3 id="esign-disclosure-heading">{t('estimates.sign.disclosure')}</h3>
          <div className="estimate-disclosure" tabIndex={0} role="region" aria-labelledby="esign-disclosure-heading">
            {disclosure.data.text.split('\n\n').map((paragraph, i) => (
              <p key={i}>{paragraph}</p>
            ))}
          </div>
          <FieldGroup legend={t('estimates.sign.consent')} error={errors.disclosureAccepted?.message ?? errors.intent?.message}>
            <div className="choice">
              <input
                id="esign-disclosure"
                type="checkbox"
                {...register('disclosureAccepted', { validate: (v) => v || t('estimates.sign.acceptRequired') })}
              />
              <label htmlFor="esign-disclosure">{t('estimates.sign.acceptDisclosure', { version: disclosure.data.version })}</label>
            </div>
            <div className="choice">
              <input
                id="esign-intent"
                type="checkbox"
                {...register('intent', { validate: (v) => v || t('estimates.sign.intentRequired') })}
              />
              <label htmlFor="esign-intent">{INTENT[kind]}</label>
            </div>
          </FieldGroup>
          <TextField
            label={t('estimates.sign.typedName')}
            hint={t('estimates.sign.typedNameHint')}
            error={errors.typedName?.message}
            autoComplete="name"
            maxLength={200}
            {...register('typedName', { validate: (v) => Boolean(v.trim()) || t('estimates.sign.typedNameRequired') })}
          />
          <div className="form-actions">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('estimates.sign.signing')}>
              {t(kind === 'approve' ? 'estimates.sign.approve' : 'estimates.sign.declineSubmit')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
