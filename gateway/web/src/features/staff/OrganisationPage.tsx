// The clinic's profile as patients see it on the home page and in the welcome email: name,
// address, phone, email, opening hours, welcome message, portal address and time zone; plus the
// logo and the client handbook (PDF) that staff upload here.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { problemOfError, type Problem, type ProblemFieldError } from '../../app/api';
import { useAnnounce } from '../../app/announcer';
import { focusFirstInvalid, splitFieldErrors } from '../../app/fieldErrors';
import type { Organisation } from '../../app/model';
import { regions } from '../../app/regions';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../app/usePageTitle';
import { Button } from '../../components/Button';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { staffApi, type OrganisationProfile } from './staffApi';

const fields = [
  'name',
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.countryCode',
  'phone',
  'email',
  'hours',
  'welcomeMessage',
  'portalUrl',
  'timeZone',
] as const;
type Field = (typeof fields)[number];

interface FormValues {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  countryCode: string;
  phone: string;
  email: string;
  hours: string;
  welcomeMessage: string;
  portalUrl: string;
  timeZone: string;
}

function valuesOf(o: Organisation): FormValues {
  return {
    name: o.name ?? '',
    line1: o.address?.line1 ?? '',
    line2: o.address?.line2 ?? '',
    city: o.address?.city ?? '',
    region: o.address?.region ?? '',
    postalCode: o.address?.postalCode ?? '',
    countryCode: o.address?.countryCode ?? '',
    phone: o.phone ?? '',
    email: o.email ?? '',
    hours: (o.hours ?? []).join('\n'),
    welcomeMessage: o.welcomeMessage ?? '',
    portalUrl: o.portalUrl ?? '',
    timeZone: o.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

function profileOf(v: FormValues): OrganisationProfile {
  const t = (s: string) => s.trim();
  return {
    name: t(v.name),
    address: {
      line1: t(v.line1),
      line2: t(v.line2),
      city: t(v.city),
      region: t(v.region),
      postalCode: t(v.postalCode),
      countryCode: v.countryCode,
    },
    phone: t(v.phone),
    email: t(v.email),
    hours: v.hours
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    welcomeMessage: v.welcomeMessage.trim(),
    portalUrl: t(v.portalUrl),
    timeZone: v.timeZone,
  };
}

const timeZones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

export function OrganisationPage() {
  usePageTitle('Organisation');
  const { organisation, organisationProblem, refreshOrganisation } = useSession();
  return (
    <>
      <PageHeader title="Organisation" lead="What patients see on their home page and in their welcome email." />
      {organisationProblem && (
        <div className="card">
          <ProblemMessage problem={organisationProblem} heading="The clinic’s profile could not be loaded." />
          <Button onClick={() => void refreshOrganisation()}>Try again</Button>
        </div>
      )}
      {!organisation && !organisationProblem && <Loading>Loading the clinic’s profile…</Loading>}
      {organisation && (
        <>
          <ProfileForm organisation={organisation} />
          <div className="upload-grid">
            <LogoUpload organisation={organisation} />
            <HandbookUpload organisation={organisation} />
          </div>
        </>
      )}
    </>
  );
}

function ProfileForm({ organisation }: { organisation: Organisation }) {
  const { refreshOrganisation } = useSession();
  const announce = useAnnounce();
  const [values, setValues] = useState<FormValues>(() => valuesOf(organisation));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [other, setOther] = useState<ProblemFieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const countries = regions();

  const set = (field: keyof FormValues) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!values.name.trim()) found.name = 'Enter the clinic’s name.';
    setErrors(found);
    setProblem(null);
    setOther([]);
    if (found.name) {
      focusFirstInvalid(formRef.current, found, summaryRef.current);
      return;
    }
    setBusy(true);
    try {
      await staffApi.saveOrganisation(profileOf(values), organisation.version);
      await refreshOrganisation();
      announce('The clinic’s profile was saved.');
    } catch (error) {
      const p = problemOfError(error);
      const placed = splitFieldErrors(p.errors, fields);
      setErrors(placed.fields);
      setOther(placed.other);
      setProblem(p);
      focusFirstInvalid(formRef.current, placed.fields, summaryRef.current);
    } finally {
      setBusy(false);
    }
  };

  const text = (
    field: keyof FormValues,
    dataField: Field,
    label: string,
    extra: { type?: string; hint?: string; optional?: boolean } = {},
  ) => (
    <FormField label={label} error={errors[dataField]} {...(extra.hint ? { hint: extra.hint } : {})} optional={extra.optional ?? false}>
      {(control) => <input {...control} data-field={dataField} type={extra.type ?? 'text'} value={values[field]} onChange={set(field)} />}
    </FormField>
  );

  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Clinic profile</h2>
      <form ref={formRef} onSubmit={submit} noValidate className="stack-form">
        <div ref={summaryRef} tabIndex={-1}>
          {problem && <ProblemMessage problem={problem} otherErrors={other} heading="The profile was not saved." />}
        </div>
        {text('name', 'name', 'Clinic name')}
        <fieldset className="field-set">
          <legend>Address</legend>
          {text('line1', 'address.line1', 'Address line 1')}
          {text('line2', 'address.line2', 'Address line 2', { optional: true })}
          <div className="field-row">
            <div className="field-row__grow">{text('city', 'address.city', 'Town or city')}</div>
            <div className="field-row__grow">{text('region', 'address.region', 'State, province or county', { optional: true })}</div>
          </div>
          <div className="field-row">
            {text('postalCode', 'address.postalCode', 'Postal code')}
            <FormField label="Country" error={errors['address.countryCode']} className="field-row__grow">
              {(control) => (
                <select {...control} data-field="address.countryCode" value={values.countryCode} onChange={set('countryCode')}>
                  <option value="">Not given</option>
                  {countries.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
        </fieldset>
        <div className="field-row">
          <div className="field-row__grow">{text('phone', 'phone', 'Phone', { type: 'tel' })}</div>
          <div className="field-row__grow">{text('email', 'email', 'Email', { type: 'email' })}</div>
        </div>
        <FormField label="Opening hours" hint="One line each, for example: Monday to Friday, 8:00 to 18:00." error={errors.hours}>
          {(control) => <textarea {...control} data-field="hours" rows={4} value={values.hours} onChange={set('hours')} />}
        </FormField>
        <FormField
          label="Welcome message"
          hint="Shown on the home page. Leave an empty line between paragraphs."
          error={errors.welcomeMessage}
        >
          {(control) => (
            <textarea {...control} data-field="welcomeMessage" rows={6} value={values.welcomeMessage} onChange={set('welcomeMessage')} />
          )}
        </FormField>
        {text('portalUrl', 'portalUrl', 'Portal address', {
          type: 'url',
          hint: 'The link in the welcome email, for example https://portal.example-clinic.org.',
        })}
        <FormField label="Time zone" hint="Times in the portal are shown in this time zone." error={errors.timeZone}>
          {(control) => (
            <select {...control} data-field="timeZone" value={values.timeZone} onChange={set('timeZone')}>
              {!timeZones.includes(values.timeZone) && <option value={values.timeZone}>{values.timeZone}</option>}
              {timeZones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
            Save profile
          </Button>
        </div>
      </form>
    </section>
  );
}

function FileUpload({
  heading,
  label,
  accept,
  hint,
  current,
  check,
  upload,
  done,
}: {
  heading: string;
  label: string;
  accept: string;
  hint: string;
  current: ReactNode;
  check(file: File): string | null;
  upload(file: File): Promise<unknown>;
  done(file: File): Promise<void>;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const headingId = `${heading.toLowerCase().replace(/\W+/g, '-')}-heading`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const wrong = file ? check(file) : 'Choose a file first.';
    setError(wrong ?? undefined);
    if (wrong || !file) {
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await upload(file);
      await done(file);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
    } catch (e) {
      setProblem(problemOfError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <div className="upload__current">{current}</div>
      <form onSubmit={submit} noValidate className="stack-form">
        {problem && <ProblemMessage problem={problem} heading="The file was not uploaded." />}
        <FormField label={label} hint={hint} error={error}>
          {(control) => (
            <input
              {...control}
              ref={inputRef}
              type="file"
              accept={accept}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setError(undefined);
              }}
            />
          )}
        </FormField>
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Uploading…">
            Upload
          </Button>
        </div>
      </form>
    </section>
  );
}

function LogoUpload({ organisation }: { organisation: Organisation }) {
  const { refreshOrganisation, logoVersion } = useSession();
  const announce = useAnnounce();
  return (
    <FileUpload
      heading="Logo"
      label="Logo file"
      accept="image/png,image/jpeg,image/svg+xml"
      hint="PNG, JPEG or SVG. Shown in the portal’s header and in welcome emails."
      current={
        organisation.hasLogo ? (
          <img className="upload__logo" src={`/api/v1/organisation/logo?v=${logoVersion}`} alt={`Current logo of ${organisation.name}`} />
        ) : (
          <p>No logo yet.</p>
        )
      }
      check={(file) => (['image/png', 'image/jpeg', 'image/svg+xml'].includes(file.type) ? null : 'Choose a PNG, JPEG or SVG image.')}
      upload={(file) => staffApi.uploadLogo(file)}
      done={async () => {
        await refreshOrganisation({ logoChanged: true });
        announce('The new logo was uploaded.');
      }}
    />
  );
}

function HandbookUpload({ organisation }: { organisation: Organisation }) {
  const { refreshOrganisation } = useSession();
  const announce = useAnnounce();
  return (
    <FileUpload
      heading="Client handbook"
      label="Handbook file"
      accept="application/pdf"
      hint="A PDF. Patients download it from their home page."
      current={
        organisation.hasHandbook ? (
          <p>
            Current handbook: <a href="/api/v1/organisation/handbook">{organisation.handbookFileName || 'client handbook (PDF)'}</a>
          </p>
        ) : (
          <p>No handbook yet.</p>
        )
      }
      check={(file) => (file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf') ? null : 'Choose a PDF file.')}
      upload={(file) => staffApi.uploadHandbook(file)}
      done={async (file) => {
        await refreshOrganisation();
        announce(`The handbook ${file.name} was uploaded.`);
      }}
    />
  );
}
