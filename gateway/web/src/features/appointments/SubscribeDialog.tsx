// "Subscribe": a private address a calendar program (Google, Apple, Outlook…) reads the patient's
// appointments from, so they show up there and stay up to date. It says what is shared (only the
// times, titled "Appointment at <clinic>"), makes the address, copies it (or shows it to copy by
// hand), opens it in a calendar program (webcal:), and stops it. The address is the only key to
// the feed: the gateway shows it once, so an existing one can only be replaced or stopped.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError, type Problem } from '../../app/api';
import { useClinicDates } from '../../app/dates';
import type { CalendarFeed } from '../../app/model';
import { useSession } from '../../app/session';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { FormField } from '../../components/FormField';
import { Icon } from '../../components/Icon';
import { Loading } from '../../components/Loading';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useCalendarFeed } from './appointmentsApi';

type Copying = 'idle' | 'copied' | 'failed';

export function SubscribeDialog({ patientId, patientName, onClose }: { patientId: string; patientName: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const { organisation } = useSession();
  const dates = useClinicDates();
  const clinic = organisation?.name || t('appointments.subscribe.theClinic');
  const { status, create, revoke } = useCalendarFeed(patientId);
  const [created, setCreated] = useState<CalendarFeed | null>(null);
  const [copying, setCopying] = useState<Copying>('idle');
  const [confirming, setConfirming] = useState<'replace' | 'revoke' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const createRef = useRef<HTMLButtonElement>(null);

  const make = async () => {
    setProblem(null);
    setCopying('idle');
    try {
      setCreated(await create.mutateAsync());
      setConfirming(null);
      // The new address is what the person came for: focus goes to it.
      requestAnimationFrame(() => addressRef.current?.focus());
    } catch (error) {
      if (confirming) throw error;
      setProblem(problemOfError(error));
    }
  };

  const stop = async () => {
    await revoke.mutateAsync();
    setCreated(null);
    setConfirming(null);
    setCopying('idle');
    requestAnimationFrame(() => createRef.current?.focus());
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.feedUrl);
      setCopying('copied');
    } catch {
      // No clipboard here (an older browser, a refused permission): the address is selected to copy by hand.
      setCopying('failed');
      addressRef.current?.focus();
      addressRef.current?.select();
    }
  };

  const active = created !== null || status.data?.active === true;
  const since = created?.createdAt ?? status.data?.createdAt ?? null;
  const title = patientName ? t('appointments.subscribe.titleFor', { name: patientName }) : t('appointments.subscribe.title');

  return (
    <>
      <Dialog title={title} onClose={onClose} wide>
        <div className="subscribe">
          <p>{t('appointments.subscribe.what')}</p>
          <p>{t('appointments.subscribe.privacy', { clinic })}</p>
          <p>{t('appointments.subscribe.keepPrivate')}</p>

          {problem && <ProblemMessage problem={problem} heading={t('appointments.subscribe.notCreated')} />}
          {status.error && !created && (
            <>
              <ProblemMessage problem={problemOfError(status.error)} heading={t('appointments.subscribe.couldNotLoad')} />
              <Button onClick={() => void status.refetch()}>{t('common.tryAgain')}</Button>
            </>
          )}
          {status.isPending && !created && <Loading>{t('appointments.subscribe.loading')}</Loading>}

          {created && (
            <section className="subscribe__address" aria-labelledby="feed-address-heading">
              <h3 id="feed-address-heading">{t('appointments.subscribe.addressHeading')}</h3>
              <p>{t('appointments.subscribe.shownOnce')}</p>
              <FormField label={t('appointments.subscribe.addressLabel')} hint={t('appointments.subscribe.addressHint')}>
                {(control) => (
                  <input
                    {...control}
                    ref={addressRef}
                    type="text"
                    readOnly
                    value={created.feedUrl}
                    className="subscribe__url"
                    onFocus={(event) => event.currentTarget.select()}
                  />
                )}
              </FormField>
              <div className="subscribe__actions">
                <Button variant="primary" onClick={() => void copy()}>
                  <Icon name="copy" />
                  {t('appointments.subscribe.copy')}
                </Button>
                <a className="button button--secondary" href={created.webcalUrl}>
                  <Icon name="calendar" />
                  {t('appointments.subscribe.openInCalendar')}
                </a>
              </div>
              <p role="status" className={copying === 'failed' ? 'subscribe__copied subscribe__copied--failed' : 'subscribe__copied'}>
                {copying === 'copied' && t('appointments.subscribe.copied')}
                {copying === 'failed' && t('appointments.subscribe.copyFailed')}
              </p>
            </section>
          )}

          {!created && status.data?.active && (
            <section className="subscribe__existing" aria-labelledby="feed-existing-heading">
              <h3 id="feed-existing-heading">{t('appointments.subscribe.existingHeading')}</h3>
              <p>{t('appointments.subscribe.existingSince', { date: dates.dateTime(since) })}</p>
              <p>{t('appointments.subscribe.cannotShowAgain')}</p>
            </section>
          )}

          {status.data && (
            <div className="form-actions form-actions--start">
              {!active && (
                <Button
                  ref={createRef}
                  variant="primary"
                  onClick={() => void make()}
                  busy={create.isPending}
                  busyLabel={t('appointments.subscribe.creating')}
                >
                  {t('appointments.subscribe.create')}
                </Button>
              )}
              {active && !created && (
                <Button variant="secondary" onClick={() => setConfirming('replace')}>
                  {t('appointments.subscribe.replace')}
                </Button>
              )}
              {active && (
                <Button variant="danger" onClick={() => setConfirming('revoke')}>
                  {t('appointments.subscribe.revoke')}
                </Button>
              )}
              <Button variant="quiet" onClick={onClose}>
                {created ? t('appointments.subscribe.done') : t('common.close')}
              </Button>
            </div>
          )}
        </div>
      </Dialog>
      {confirming === 'revoke' && (
        <ConfirmDialog
          title={t('appointments.subscribe.confirmRevoke.title')}
          confirmLabel={t('appointments.subscribe.confirmRevoke.confirm')}
          busyLabel={t('appointments.subscribe.confirmRevoke.busy')}
          variant="danger"
          onConfirm={stop}
          onClose={() => setConfirming(null)}
        >
          <p>{t('appointments.subscribe.confirmRevoke.body')}</p>
        </ConfirmDialog>
      )}
      {confirming === 'replace' && (
        <ConfirmDialog
          title={t('appointments.subscribe.confirmReplace.title')}
          confirmLabel={t('appointments.subscribe.confirmReplace.confirm')}
          busyLabel={t('appointments.subscribe.creating')}
          onConfirm={make}
          onClose={() => setConfirming(null)}
        >
          <p>{t('appointments.subscribe.confirmReplace.body')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
