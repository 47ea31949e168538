// Who is signed in, for whom they act, and the clinic they belong to: read once from the gateway
// when the app starts (two queries in parallel) and shared with every screen. Not signed in → the
// login page (the API client sends the browser there on a 401).
//
// A guardian's patient lives in the address (/patients/{id}/contacts), so two tabs acting for two
// patients stay apart across reloads and a link names whose record it opens. The tab remembers its
// last patient (sessionStorage: per tab, kept across reloads) for addresses without one; the
// gateway's remembered choice is only the default for a new tab.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatch } from 'react-router';
import { ApiError, call, problemOfError, request, setCsrfToken, type Problem } from './api';
import type { Me, Organisation, PatientRef } from './model';
import { keys } from './queryClient';
import { ProblemMessage } from '../components/ProblemMessage';
import { Button } from '../components/Button';

export interface Session {
  me: Me;
  isStaff: boolean;
  /** The patient whose record the patient pages show, or null when none is chosen yet. */
  patient: PatientRef | null;
  /** True when the user may act for more than one patient (a guardian). */
  canSwitchPatient: boolean;
  setActingFor(patientId: string): Promise<void>;
  /**
   * The address of a patient page for the patient acted for: `/patients/{id}/billing` for a
   * guardian, `/billing` for a patient (one record only) or when no patient is chosen.
   */
  patientPath(path: string): string;
  /** True when the address names a patient this user may not act for. */
  unknownPatientInAddress: boolean;
  organisation: Organisation | null;
  organisationProblem: Problem | null;
  /** Changes whenever the clinic's profile is read again, so `<img>` asks for a changed logo. */
  logoVersion: number;
  refreshOrganisation(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** A clinic that has not filled in its profile yet: nothing to show, nothing made up. */
const notSetUp: Organisation = {
  name: '',
  address: { line1: '', line2: '', city: '', region: '', postalCode: '', countryCode: '' },
  phone: '',
  email: '',
  hours: [],
  welcomeMessage: '',
  portalUrl: '',
  timeZone: '',
  hasLogo: false,
  hasHandbook: false,
  handbookFileName: '',
  // Version 0 asks for no version check: there is nothing yet to overwrite.
  version: 0,
  updatedAt: null,
};

/** The clinic's profile; 404 means the clinic has not set it up yet. */
async function readOrganisation(signal: AbortSignal): Promise<Organisation> {
  try {
    return await call('get', '/api/v1/organisation', { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return notSetUp;
    throw error;
  }
}

async function readMe(signal: AbortSignal): Promise<Me> {
  const me = await call('get', '/api/v1/me', { signal });
  setCsrfToken(me.csrfToken);
  return me;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** A patient the gateway knows by id only still needs a name a person can choose by. */
function withPatientNames(me: Me, unnamed: (position: number) => string): Me {
  return {
    ...me,
    patients: me.patients.map((p, index) => ({
      id: p.id,
      name: p.name || (p.id === me.user.id ? me.user.name : unnamed(index + 1)),
    })),
  };
}

const tabPatientKey = 'portico.actingFor';

function tabPatient(): string | null {
  try {
    return window.sessionStorage.getItem(tabPatientKey);
  } catch {
    return null;
  }
}

function rememberTabPatient(patientId: string): void {
  try {
    window.sessionStorage.setItem(tabPatientKey, patientId);
  } catch {
    // Storage refused (private mode): the address still names the patient.
  }
}

/**
 * The patient a user acts for: the one the address names, else this tab's last one, else the one
 * the gateway remembers, else the only one they may act for.
 */
function patientOf(me: Me, inAddress: string | null): PatientRef | null {
  const known = (id: string | null) =>
    id ? (me.patients.find((p) => p.id === id) ?? (id === me.user.id ? { id: me.user.id, name: me.user.name } : null)) : null;
  if (inAddress) return known(inAddress);
  const chosen = known(tabPatient()) ?? known(me.actingFor);
  if (chosen) return chosen;
  return me.patients.length === 1 ? me.patients[0]! : null;
}

/** `/patients/{id}` followed by the rest of a patient page's address. */
export function pathForPatient(patientId: string, path: string): string {
  return `/patients/${encodeURIComponent(patientId)}${path === '/' ? '' : path}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Session data never goes stale by itself: it changes when this user changes it.
  const meQuery = useQuery({ queryKey: keys.me, queryFn: ({ signal }) => readMe(signal), staleTime: Infinity });
  const organisationQuery = useQuery({
    queryKey: keys.organisation,
    queryFn: ({ signal }) => readOrganisation(signal),
    staleTime: Infinity,
  });

  const actingFor = useMutation({
    mutationFn: (patientId: string) => call('put', '/api/v1/me/acting-for', { body: { patientId } }),
    onSuccess: (answer) =>
      queryClient.setQueryData<Me>(keys.me, (current) => (current ? { ...current, actingFor: answer.actingFor } : current)),
  });
  const { mutateAsync: switchPatient } = actingFor;
  const setActingFor = useCallback(async (patientId: string) => void (await switchPatient(patientId)), [switchPatient]);
  const refreshOrganisation = useCallback(() => queryClient.invalidateQueries({ queryKey: keys.organisation }), [queryClient]);

  const me = meQuery.data;
  const addressed = useMatch('/patients/:patientId/*')?.params.patientId ?? null;
  useEffect(() => {
    if (addressed) rememberTabPatient(addressed);
  }, [addressed]);
  const organisation = organisationQuery.data ?? null;
  const organisationProblem = organisationQuery.error ? problemOfError(organisationQuery.error) : null;
  const logoVersion = organisationQuery.dataUpdatedAt;

  const session = useMemo<Session | null>(() => {
    if (!me) return null;
    const named = withPatientNames(me, (position) => t('session.unnamedPatient', { position }));
    const isStaff = named.user.roles.includes('staff');
    // Staff open patients from their workspace (/staff/patients/{id}), never from this prefix.
    const inAddress = isStaff ? null : addressed;
    const patient = patientOf(named, inAddress);
    const canSwitchPatient = named.patients.length > 1;
    return {
      me: named,
      isStaff,
      patient,
      canSwitchPatient,
      setActingFor,
      patientPath: (path: string) => (canSwitchPatient && !isStaff && patient ? pathForPatient(patient.id, path) : path),
      unknownPatientInAddress: inAddress !== null && patient === null,
      organisation,
      organisationProblem,
      logoVersion,
      refreshOrganisation,
    };
    // organisationProblem is derived from the query's error, which is stable between renders.
  }, [me, addressed, organisation, organisationQuery.error, logoVersion, setActingFor, refreshOrganisation, t]);

  if (meQuery.error) {
    return (
      <main className="startup" id="main-content">
        <h1>{t('session.couldNotStart')}</h1>
        <ProblemMessage problem={problemOfError(meQuery.error)} />
        <Button onClick={() => void meQuery.refetch()}>{t('common.tryAgain')}</Button>
      </main>
    );
  }
  if (!session) {
    return (
      <main className="startup" id="main-content" aria-busy="true">
        <p role="status">{t('session.loading')}</p>
      </main>
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Ends the session at the gateway, then goes where the gateway says (Keycloak's logout, then the login page). */
export async function logOut(): Promise<void> {
  const answer = await request<{ redirectTo?: string }>('/auth/logout', { method: 'POST' });
  window.location.assign(answer?.redirectTo || '/');
}
