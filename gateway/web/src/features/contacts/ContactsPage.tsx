// Seed step 9: every contact of the patient, active and inactive; "Add New Contact" at the top
// right; edit, inactivate and reactivate each one. After each change the page says what happened
// (polite live region) and puts focus where the user can carry on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, problemOfError, type Problem } from '../../app/api';
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
import { contactsApi, purposeLabels, type Contact } from './contactsApi';

type Editing = { kind: 'add' } | { kind: 'edit'; contact: Contact } | null;
type Confirming = { action: 'inactivate' | 'reactivate'; contact: Contact } | null;

const byName = (a: Contact, b: Contact) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt);

export function ContactsPage() {
  const { patient, organisation, canSwitchPatient } = useSession();
  usePageTitle('Contacts');
  const announce = useAnnounce();
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const targets = useRef(new Map<string, HTMLElement>());
  const patientId = patient?.id ?? null;

  const defaultRegion = (() => {
    const code = organisation?.address.countryCode?.toUpperCase();
    return code && regions().some((r) => r.code === code) ? code : 'US';
  })();

  useEffect(() => {
    if (!patientId) return;
    const abort = new AbortController();
    setContacts(null);
    setProblem(null);
    contactsApi.list(patientId, abort.signal).then(
      (list) => setContacts([...list].sort(byName)),
      (error: unknown) => {
        if (!isAbort(error)) setProblem(problemOfError(error));
      },
    );
    return () => abort.abort();
  }, [patientId, attempt]);

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

  const replace = (saved: Contact) => setContacts((list) => [...(list ?? []).filter((c) => c.id !== saved.id), saved].sort(byName));

  const onSaved = (saved: Contact, added: boolean) => {
    replace(saved);
    setEditing(null);
    if (added) {
      announce(`${saved.name} was added to the contacts.`);
      setFocusTarget(`${saved.id}:heading`);
    } else {
      announce(`The changes to ${saved.name} were saved.`);
      setFocusTarget(`${saved.id}:edit`);
    }
  };

  const changeStatus = async ({ action, contact }: NonNullable<Confirming>) => {
    if (!patientId) return;
    const saved =
      action === 'inactivate' ? await contactsApi.inactivate(patientId, contact.id) : await contactsApi.reactivate(patientId, contact.id);
    replace(saved);
    setConfirming(null);
    announce(action === 'inactivate' ? `${saved.name} is now inactive.` : `${saved.name} is active again.`);
    setFocusTarget(`${saved.id}:status`);
  };

  const closeDialog = () => {
    if (editing?.kind === 'add') setFocusTarget('add');
    setEditing(null);
  };

  if (!patientId) {
    return (
      <>
        <PageHeader title="Contacts" />
        <div className="card">
          <p>
            {canSwitchPatient
              ? 'Choose the patient you are acting for with “Acting for” at the top of the page to see their contacts.'
              : 'Contacts belong to a patient’s record, and you are not acting for a patient.'}
          </p>
        </div>
      </>
    );
  }

  const active = contacts?.filter((c) => c.status === 'active').length ?? 0;
  const inactive = (contacts?.length ?? 0) - active;

  return (
    <>
      <PageHeader
        title="Contacts"
        lead={`People the clinic may contact for ${canSwitchPatient && patient ? patient.name : 'you'}: in an emergency, or to receive information you agreed to release.`}
      >
        <Button variant="primary" ref={register('add')} onClick={() => setEditing({ kind: 'add' })}>
          <span aria-hidden="true">+ </span>Add New Contact
        </Button>
      </PageHeader>

      {problem && (
        <div className="card">
          <ProblemMessage problem={problem} heading="The contacts could not be loaded." />
          <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
        </div>
      )}
      {!contacts && !problem && <Loading>Loading contacts…</Loading>}
      {contacts && contacts.length === 0 && (
        <div className="card empty-state">
          <h2>No contacts yet</h2>
          <p>Add someone the clinic may call in an emergency, or who may receive your information.</p>
        </div>
      )}
      {contacts && contacts.length > 0 && (
        <>
          <p className="list-summary">
            {active} active {active === 1 ? 'contact' : 'contacts'}
            {inactive > 0 && `, ${inactive} inactive`}
          </p>
          <ul className="contact-list" aria-label="Contacts">
            {contacts.map((contact) => (
              <ContactCard
                key={contact.id}
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
          {...(editing.kind === 'edit' ? { contact: editing.contact } : {})}
          defaultRegion={defaultRegion}
          onSaved={onSaved}
          onClose={closeDialog}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={confirming.action === 'inactivate' ? `Inactivate ${confirming.contact.name}?` : `Reactivate ${confirming.contact.name}?`}
          confirmLabel={confirming.action === 'inactivate' ? 'Inactivate' : 'Reactivate'}
          busyLabel={confirming.action === 'inactivate' ? 'Inactivating…' : 'Reactivating…'}
          variant={confirming.action === 'inactivate' ? 'danger' : 'primary'}
          onConfirm={() => changeStatus(confirming)}
          onClose={() => setConfirming(null)}
        >
          {confirming.action === 'inactivate' ? (
            <p>
              The clinic will no longer use this contact. It stays in your list, marked inactive, and you can reactivate it at any time.
            </p>
          ) : (
            <p>The clinic may use this contact again for the purposes you chose.</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function ContactCard({
  contact,
  register,
  onEdit,
  onToggle,
}: {
  contact: Contact;
  register: (key: string) => (element: HTMLElement | null) => void;
  onEdit(): void;
  onToggle(): void;
}) {
  const inactive = contact.status === 'inactive';
  const headingId = `contact-${contact.id}`;
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
        <h2 id={headingId} className="contact-card__name" tabIndex={-1} ref={register(`${contact.id}:heading`)}>
          {contact.name}
        </h2>
        {inactive ? <span className="badge badge--inactive">Inactive</span> : <span className="badge badge--active">Active</span>}
      </div>
      {contact.relationship && <p className="contact-card__relationship">{contact.relationship}</p>}
      <ul className="tags" aria-label="Purposes">
        {contact.purposes.map((p) => (
          <li key={p} className="tag">
            {purposeLabels[p]}
          </li>
        ))}
      </ul>
      <dl className="contact-card__details">
        {contact.phone && (
          <div>
            <dt>Phone</dt>
            <dd>
              <a href={telHref(contact.phone)}>{formatPhone(contact.phone)}</a>
            </dd>
          </div>
        )}
        {contact.email && (
          <div>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            </dd>
          </div>
        )}
        {addressLines.length > 0 && (
          <div>
            <dt>Address</dt>
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
            <dt>Notes</dt>
            <dd className="contact-card__notes">{contact.notes}</dd>
          </div>
        )}
      </dl>
      <div className="contact-card__actions">
        <Button ref={register(`${contact.id}:edit`)} onClick={onEdit}>
          Edit<span className="visually-hidden"> {contact.name}</span>
        </Button>
        <Button ref={register(`${contact.id}:status`)} variant={inactive ? 'secondary' : 'quiet'} onClick={onToggle}>
          {inactive ? 'Reactivate' : 'Inactivate'}
          <span className="visually-hidden"> {contact.name}</span>
        </Button>
      </div>
    </li>
  );
}
