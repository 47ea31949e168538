// Seed step 9: every contact of the patient, active and inactive; "Add New Contact" at the top
// right; edit, inactivate and reactivate each one. After each change the page says what happened
// (polite live region) and puts focus where the user can carry on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOfError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { formatPhone, telHref } from '../../app/phone';
import { regionName, regions } from '../../app/regions';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { ContactDialog } from './ContactDialog';
import { useContactChanges, useContacts, type Contact } from './contactsApi';

type Editing = { kind: 'add' } | { kind: 'edit'; contact: Contact } | null;
type Confirming = { action: 'inactivate' | 'reactivate'; contact: Contact } | null;

export function ContactsPage() {
  const { t } = useTranslation();
  const { me, patient, canSwitchPatient } = useSession();
  usePageTitle(t('contacts.title'));
  if (!patient) {
    return (
      <>
        <PageHeader title={t('contacts.title')} />
        <div className="card">
          <p>{canSwitchPatient ? t('contacts.choosePatient') : t('contacts.noPatient')}</p>
        </div>
      </>
    );
  }
  return (
    <ContactBook
      patientId={patient.id}
      {...(patient.id !== me.user.id ? { patientName: patient.name } : {})}
      lead={canSwitchPatient ? t('contacts.leadFor', { name: patient.name }) : t('contacts.lead')}
    />
  );
}

/**
 * One patient's contacts with their changes: the Contacts page (`lead` given, the page's heading)
 * or a section of a patient's record for staff (`section`, headed h2, each contact h3).
 */
export function ContactBook({
  patientId,
  patientName,
  lead,
  section = false,
}: {
  patientId: string;
  /** Named in the dialogs' titles when the user acts for someone else (a guardian, staff). */
  patientName?: string;
  lead?: string;
  section?: boolean;
}) {
  const { t } = useTranslation();
  const { organisation } = useSession();
  const announce = useAnnounce();
  const query = useContacts(patientId);
  const contacts = query.data ?? null;
  const problem = query.error ? problemOfError(query.error) : null;
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const targets = useRef(new Map<string, HTMLElement>());

  const defaultRegion = (() => {
    const code = organisation?.address.countryCode?.toUpperCase();
    return code && regions().some((r) => r.code === code) ? code : 'US';
  })();

  // Focus moves after React has drawn the change, to an element the change left in place.
  useEffect(() => {
    if (!focusTarget) return;
    targets.current.get(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget, contacts, editing, confirming]);

  const register = useCallback(
    (key: string) => (element: HTMLElement | null) => {
      if (element) targets.current.set(key, element);
      else targets.current.delete(key);
    },
    [],
  );

  // The dialog saved the contact into the list already; the page says so and moves focus.
  const onSaved = (saved: Contact, added: boolean) => {
    setEditing(null);
    if (added) {
      announce(t('contacts.added', { name: saved.name }));
      setFocusTarget(`${saved.id}:heading`);
    } else {
      announce(t('contacts.saved', { name: saved.name }));
      setFocusTarget(`${saved.id}:edit`);
    }
  };

  const changes = useContactChanges(patientId);
  const changeStatus = async ({ action, contact }: NonNullable<Confirming>) => {
    const saved = await changes.setActive.mutateAsync({ contact, active: action === 'reactivate' });
    setConfirming(null);
    announce(action === 'inactivate' ? t('contacts.inactivated', { name: saved.name }) : t('contacts.reactivated', { name: saved.name }));
    setFocusTarget(`${saved.id}:status`);
  };

  const closeDialog = () => {
    if (editing?.kind === 'add') setFocusTarget('add');
    setEditing(null);
  };

  const active = contacts?.filter((c) => c.status === 'active').length ?? 0;
  const inactive = (contacts?.length ?? 0) - active;

  const addButton = (
    <Button variant="primary" ref={register('add')} onClick={() => setEditing({ kind: 'add' })}>
      <span aria-hidden="true">+ </span>
      {t('contacts.addNew')}
    </Button>
  );

  return (
    <>
      {section ? (
        <div className="section-header">
          <h2 id="contacts-heading">{t('contacts.title')}</h2>
          {addButton}
        </div>
      ) : (
        <PageHeader title={t('contacts.title')} lead={lead}>
          {addButton}
        </PageHeader>
      )}

      {problem && (
        <div className="card">
          <ProblemMessage problem={problem} heading={t('contacts.couldNotLoad')} />
          <Button onClick={() => void query.refetch()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {!contacts && !problem && <Loading>{t('contacts.loading')}</Loading>}
      {contacts && contacts.length === 0 && (
        <div className="card empty-state">
          {section ? <h3>{t('contacts.empty.title')}</h3> : <h2>{t('contacts.empty.title')}</h2>}
          <p>{section ? t('patientRecord.noContacts') : t('contacts.empty.body')}</p>
        </div>
      )}
      {contacts && contacts.length > 0 && (
        <>
          <p className="list-summary">
            {t('contacts.summary.active', { count: active })}
            {inactive > 0 && t('contacts.summary.inactive', { count: inactive })}
          </p>
          <ul className="contact-list" aria-label={t('contacts.title')}>
            {contacts.map((contact) => (
              <ContactCard
                key={contact.id}
                headingLevel={section ? 3 : 2}
                contact={contact}
                register={register}
                onEdit={() => setEditing({ kind: 'edit', contact })}
                onToggle={() => setConfirming({ action: contact.status === 'active' ? 'inactivate' : 'reactivate', contact })}
              />
            ))}
          </ul>
        </>
      )}

      {editing && (
        <ContactDialog
          key={editing.kind === 'edit' ? editing.contact.id : 'new'}
          patientId={patientId}
          {...(patientName ? { patientName } : {})}
          {...(editing.kind === 'edit' ? { contact: editing.contact } : {})}
          defaultRegion={defaultRegion}
          onSaved={onSaved}
          onClose={closeDialog}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t(`contacts.confirm.${confirming.action}.title`, { name: confirming.contact.name })}
          confirmLabel={t(`contacts.confirm.${confirming.action}.confirm`)}
          busyLabel={t(`contacts.confirm.${confirming.action}.busy`)}
          variant={confirming.action === 'inactivate' ? 'danger' : 'primary'}
          onConfirm={() => changeStatus(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p>{t(`contacts.confirm.${confirming.action}.body`)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ContactCard({
  contact,
  headingLevel,
  register,
  onEdit,
  onToggle,
}: {
  contact: Contact;
  headingLevel: 2 | 3;
  register: (key: string) => (element: HTMLElement | null) => void;
  onEdit(): void;
  onToggle(): void;
}) {
  const { t } = useTranslation();
  const inactive = contact.status === 'inactive';
  const headingId = `contact-${contact.id}`;
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  const address = contact.address;
  const addressLines = address
    ? [
        address.line1,
        address.line2,
        [address.city, address.region, address.postalCode].filter(Boolean).join(', '),
        address.countryCode ? regionName(address.countryCode) : '',
      ].filter((line): line is string => Boolean(line))
    : [];
  return (
    <li className={inactive ? 'contact-card contact-card--inactive' : 'contact-card'}>
      <div className="contact-card__head">
        <Heading id={headingId} className="contact-card__name" tabIndex={-1} ref={register(`${contact.id}:heading`)}>
          {contact.name}
        </Heading>
        {inactive ? (
          <span className="badge badge--inactive">{t('contacts.status.inactive')}</span>
        ) : (
          <span className="badge badge--active">{t('contacts.status.active')}</span>
        )}
      </div>
      {contact.relationship && <p className="contact-card__relationship">{contact.relationship}</p>}
      <ul className="tags" aria-label={t('contacts.fields.purposes')}>
        {contact.purposes.map((p) => (
          <li key={p} className="tag">
            {t(`contacts.purposes.${p}`)}
          </li>
        ))}
      </ul>
      <dl className="contact-card__details">
        {contact.phone && (
          <div>
            <dt>{t('contacts.card.phone')}</dt>
            <dd>
              <a href={telHref(contact.phone)}>{formatPhone(contact.phone)}</a>
            </dd>
          </div>
        )}
        {contact.email && (
          <div>
            <dt>{t('contacts.card.email')}</dt>
            <dd>
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            </dd>
          </div>
        )}
        {addressLines.length > 0 && (
          <div>
            <dt>{t('contacts.card.address')}</dt>
            <dd>
              {addressLines.map((line) => (
                <span key={line} className="contact-card__line">
                  {line}
                </span>
              ))}
            </dd>
          </div>
        )}
        {contact.notes && (
          <div>
            <dt>{t('contacts.card.notes')}</dt>
            <dd className="contact-card__notes">{contact.notes}</dd>
          </div>
        )}
      </dl>
      <div className="contact-card__actions">
        <Button ref={register(`${contact.id}:edit`)} onClick={onEdit}>
          {t('contacts.card.edit')}
          <span className="visually-hidden"> {contact.name}</span>
        </Button>
        <Button ref={register(`${contact.id}:status`)} variant={inactive ? 'secondary' : 'quiet'} onClick={onToggle}>
          {inactive ? t('contacts.confirm.reactivate.confirm') : t('contacts.confirm.inactivate.confirm')}
          <span className="visually-hidden"> {contact.name}</span>
        </Button>
      </div>
    </li>
  );
}
