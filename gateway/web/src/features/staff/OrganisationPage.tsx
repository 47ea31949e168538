// The clinic's profile as patients see it on the home page and in the welcome email: name,
// address, phone, email, opening hours, welcome message, portal address and time zone; plus the
// logo and the client handbook (PDF) that staff upload here.
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../app/announcer';
import { emailPattern, focusFirstInvalid, useServerProblem } from '../../app/formErrors';
import { phoneAccepted } from '../../app/phoneRule';
import type { Organisation } from '../../app/model';
import { useSession } from '../../app/session';
import { listedTimeZone, timeZoneGroups } from '../../app/timeZones';
import { usePageTitle } from '../../app/usePageTitle';
import { AddressFields, addressFields, addressInput, addressValues, type AddressValues } from '../../components/AddressFields';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField, TextField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemMessage } from '../../components/ProblemMessage';
import { staffApi, type OrganisationProfile } from './staffApi';

interface ProfileValues {
  name: string;
  address: AddressValues;
  phone: string;
  email: string;
  /** One line each in the form; a list in the API. */
  hours: string;
  welcomeMessage: string;
  portalUrl: string;
  timeZone: string;
}

const fields = ['name', ...addressFields, 'phone', 'email', 'hours', 'welcomeMessage', 'portalUrl', 'timeZone'] as const;

function valuesOf(o: Organisation): ProfileValues {
  return {
    name: o.name ?? '',
    address: addressValues(o.address),
    phone: o.phone ?? '',
    email: o.email ?? '',
    hours: (o.hours ?? []).join('\n'),
    welcomeMessage: o.welcomeMessage ?? '',
    portalUrl: o.portalUrl ?? '',
    // A stored or browser zone under another of its names (Asia/Calcutta) is shown as the listed one.
    timeZone: ((zone) => listedTimeZone(zone) ?? zone)(o.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone),
  };
}

function profileOf(v: ProfileValues): OrganisationProfile {
  return {
    name: v.name.trim(),
    address: addressInput(v.address, false),
    phone: v.phone.trim(),
    // A national number ("0117 496 0123") is read as the clinic's country writes it.
    phoneRegion: v.address.countryCode,
    email: v.email.trim(),
    hours: v.hours
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    welcomeMessage: v.welcomeMessage.trim(),
    portalUrl: v.portalUrl.trim(),
    timeZone: v.timeZone,
  };
}

export function OrganisationPage() {
  const { t } = useTranslation();
  usePageTitle(t('menu.organisation'));
  const { organisation, organisationProblem, refreshOrganisation } = useSession();
  return (
    <>
      <PageHeader title={t('menu.organisation')} lead={t('staff.organisation.lead')} />
      {organisationProblem && (
        <div className="card">
          <ProblemMessage problem={organisationProblem} heading={t('staff.organisation.couldNotLoad')} />
          <Button onClick={() => void refreshOrganisation()}>{t('common.tryAgain')}</Button>
        </div>
      )}
      {!organisation && !organisationProblem && <Loading>{t('staff.organisation.loading')}</Loading>}
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
  const { t } = useTranslation();
  const { refreshOrganisation } = useSession();
  const announce = useAnnounce();
  const form = useForm<ProfileValues>({ defaultValues: valuesOf(organisation), shouldFocusError: false });
  const formElement = useRef<HTMLFormElement>(null);
  const { register, formState, handleSubmit } = form;
  const { errors } = formState;
  const server = useServerProblem(form, fields);
  // If-Match carries the version the form was filled from, so one edit cannot silently undo another.
  const save = useMutation({ mutationFn: (profile: OrganisationProfile) => staffApi.saveOrganisation(profile, organisation.version) });

  const submit = handleSubmit(
    async (values) => {
      server.clear();
      try {
        await save.mutateAsync(profileOf(values));
        await refreshOrganisation();
        announce(t('staff.organisation.saved'));
      } catch (error) {
        server.show(error);
      }
    },
    () => {
      server.clear();
      focusFirstInvalid(formElement.current);
    },
  );

  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('staff.organisation.profileHeading')}</h2>
      <FormProvider {...form}>
        <form ref={formElement} onSubmit={submit} noValidate className="stack-form">
          <div ref={server.summaryRef} tabIndex={-1}>
            {server.problem && (
              <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('staff.organisation.notSaved')} />
            )}
          </div>
          <TextField
            label={t('staff.organisation.name')}
            error={errors.name?.message}
            {...register('name', { validate: (v) => Boolean(v.trim()) || t('staff.organisation.nameRequired') })}
          />
          <AddressFields required />
          <div className="field-row">
            <TextField
              label={t('staff.organisation.phone')}
              hint={t('staff.organisation.phoneHint')}
              className="field-row__grow"
              type="tel"
              autoComplete="tel"
              error={errors.phone?.message}
              {...register('phone', {
                validate: (v, all) => (v.trim() ? phoneAccepted(v, all.address.countryCode) : t('staff.organisation.phoneRequired')),
              })}
            />
            <TextField
              label={t('staff.organisation.email')}
              optional
              className="field-row__grow"
              type="email"
              error={errors.email?.message}
              {...register('email', { validate: (v) => !v.trim() || emailPattern.test(v.trim()) || t('fieldProblems.email') })}
            />
          </div>
          <FormField label={t('staff.organisation.hours')} optional hint={t('staff.organisation.hoursHint')} error={errors.hours?.message}>
            {(control) => <textarea {...control} rows={4} {...register('hours')} />}
          </FormField>
          <FormField
            label={t('staff.organisation.welcomeMessage')}
            optional
            hint={t('staff.organisation.welcomeMessageHint')}
            error={errors.welcomeMessage?.message}
          >
            {(control) => <textarea {...control} rows={6} {...register('welcomeMessage')} />}
          </FormField>
          <TextField
            label={t('staff.organisation.portalUrl')}
            hint={t('staff.organisation.portalUrlHint')}
            type="url"
            error={errors.portalUrl?.message}
            {...register('portalUrl')}
          />
          <FormField label={t('staff.organisation.timeZone')} hint={t('staff.organisation.timeZoneHint')} error={errors.timeZone?.message}>
            {(control) => (
              <select {...control} {...register('timeZone')}>
                {organisation.timeZone && !listedTimeZone(organisation.timeZone) && (
                  <option value={organisation.timeZone}>{organisation.timeZone.replaceAll('_', ' ')}</option>
                )}
                {timeZoneGroups().map((group) => (
                  <optgroup key={group.region} label={group.region}>
                    {group.zones.map((zone) => (
                      <option key={zone.zone} value={zone.zone}>
                        {zone.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </FormField>
          <div className="form-actions form-actions--start">
            <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('common.saving')}>
              {t('staff.organisation.save')}
            </Button>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}

interface UploadValues {
  file: FileList | null;
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
  const { t } = useTranslation();
  const form = useForm<UploadValues>({ defaultValues: { file: null } });
  const { register, formState, handleSubmit } = form;
  const server = useServerProblem(form, ['file']);
  const send = useMutation({ mutationFn: upload });
  const headingId = `${heading.toLowerCase().replace(/\W+/g, '-')}-heading`;

  const submit = handleSubmit(
    async ({ file }) => {
      server.clear();
      const chosen = file![0]!;
      try {
        await send.mutateAsync(chosen);
        await done(chosen);
        form.reset({ file: null });
      } catch (error) {
        server.show(error);
      }
    },
    () => server.clear(),
  );

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <div className="upload__current">{current}</div>
      <form onSubmit={submit} noValidate className="stack-form">
        <div ref={server.summaryRef} tabIndex={-1}>
          {server.problem && <ProblemMessage problem={server.problem} otherErrors={server.other} heading={t('staff.upload.notUploaded')} />}
        </div>
        <FormField label={label} hint={hint} error={formState.errors.file?.message}>
          {(control) => (
            <input
              {...control}
              type="file"
              accept={accept}
              {...register('file', { validate: (files) => (files?.[0] ? (check(files[0]) ?? true) : t('staff.upload.chooseFirst')) })}
            />
          )}
        </FormField>
        <div className="form-actions form-actions--start">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel={t('staff.upload.busy')}>
            {t('staff.upload.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** "Remove …" under a current logo or handbook: asks first, then removes it and says so. */
function RemoveCurrent({ what, remove }: { what: 'logo' | 'handbook'; remove(): Promise<unknown> }) {
  const { t } = useTranslation();
  const { refreshOrganisation } = useSession();
  const announce = useAnnounce();
  const [removing, setRemoving] = useState(false);
  return (
    <>
      <p>
        <Button variant="secondary" onClick={() => setRemoving(true)}>
          {t(`staff.${what}.remove`)}
        </Button>
      </p>
      {removing && (
        <ConfirmDialog
          title={t(`staff.${what}.removeTitle`)}
          confirmLabel={t(`staff.${what}.remove`)}
          busyLabel={t(`staff.${what}.removing`)}
          variant="danger"
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await remove();
            await refreshOrganisation();
            setRemoving(false);
            announce(t(`staff.${what}.removed`));
          }}
        >
          <p>{t(`staff.${what}.removeBody`)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function LogoUpload({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const { refreshOrganisation, logoVersion } = useSession();
  const announce = useAnnounce();
  return (
    <FileUpload
      heading={t('staff.logo.heading')}
      label={t('staff.logo.label')}
      accept="image/png,image/jpeg,image/svg+xml"
      hint={t('staff.logo.hint')}
      current={
        organisation.hasLogo ? (
          <>
            <img
              className="upload__logo"
              src={`/api/v1/organisation/logo?v=${logoVersion}`}
              alt={t('staff.logo.current', { clinic: organisation.name })}
            />
            <RemoveCurrent what="logo" remove={staffApi.removeLogo} />
          </>
        ) : (
          <p>{t('staff.logo.none')}</p>
        )
      }
      check={(file) => (['image/png', 'image/jpeg', 'image/svg+xml'].includes(file.type) ? null : t('staff.logo.wrongType'))}
      upload={(file) => staffApi.uploadLogo(file)}
      done={async () => {
        await refreshOrganisation();
        announce(t('staff.logo.uploaded'));
      }}
    />
  );
}

function HandbookUpload({ organisation }: { organisation: Organisation }) {
  const { t } = useTranslation();
  const { refreshOrganisation } = useSession();
  const announce = useAnnounce();
  return (
    <FileUpload
      heading={t('staff.handbook.heading')}
      label={t('staff.handbook.label')}
      accept="application/pdf"
      hint={t('staff.handbook.hint')}
      current={
        organisation.hasHandbook ? (
          <>
            <p>
              {t('staff.handbook.current')}{' '}
              <a href="/api/v1/organisation/handbook">{organisation.handbookFileName || t('staff.handbook.unnamed')}</a>
            </p>
            <RemoveCurrent what="handbook" remove={staffApi.removeHandbook} />
          </>
        ) : (
          <p>{t('staff.handbook.none')}</p>
        )
      }
      check={(file) => (file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf') ? null : t('staff.handbook.wrongType'))}
      upload={(file) => staffApi.uploadHandbook(file)}
      done={async (file) => {
        await refreshOrganisation();
        announce(t('staff.handbook.uploaded', { file: file.name }));
      }}
    />
  );
}
