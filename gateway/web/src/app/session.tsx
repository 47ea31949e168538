// Who is signed in, for whom they act, and the clinic they belong to: read once from the gateway
// when the app starts and shared with every screen. Not signed in → the login page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, isAbort, problemOfError, setCsrfToken, type Problem } from './api';
import type { Me, Organisation, PatientRef } from './model';
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
  organisation: Organisation | null;
  organisationProblem: Problem | null;
  /** Changes whenever the logo changes, so `<img>` asks for the new one. */
  logoVersion: number;
  refreshOrganisation(options?: { logoChanged?: boolean }): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** A clinic that has not filled in its profile yet: nothing to show, nothing made up. */
const notSetUp: Organisation = {
  name: '',
  address: {},
  phone: '',
  email: '',
  hours: [],
  welcomeMessage: '',
  portalUrl: '',
  timeZone: '',
  hasLogo: false,
  hasHandbook: false,
  handbookFileName: '',
};

/** The clinic's profile; 404 means the clinic has not set it up yet. */
async function readOrganisation(signal?: AbortSignal): Promise<Organisation> {
  try {
    return await api.get<Organisation>('/api/v1/organisation', signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return notSetUp;
    throw error;
  }
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** A patient the gateway knows by id only still needs a name a person can choose by. */
function withPatientNames(me: Me): Me {
  return {
    ...me,
    patients: me.patients.map((p, index) => ({
      id: p.id,
      name: p.name || (p.id === me.user.id ? me.user.name : `Patient ${index + 1}`),
    })),
  };
}

/** The patient a user acts for: the one the gateway says, or the only one they may act for. */
function patientOf(me: Me): PatientRef | null {
  if (me.actingFor) {
    return me.patients.find((p) => p.id === me.actingFor) ?? (me.actingFor === me.user.id ? { id: me.user.id, name: me.user.name } : null);
  }
  return me.patients.length === 1 ? me.patients[0]! : null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [organisation, setOrganisation] = useState<Organisation | null>(null);
  const [organisationProblem, setOrganisationProblem] = useState<Problem | null>(null);
  const [logoVersion, setLogoVersion] = useState(0);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setProblem(null);
    // The two reads are independent: start both, and let the clinic's details fail on their own.
    const meRead = api.get<Me>('/api/v1/me', abort.signal);
    const organisationRead = readOrganisation(abort.signal);
    meRead.then(
      (value) => {
        setCsrfToken(value.csrfToken);
        setMe(withPatientNames(value));
      },
      (error: unknown) => {
        if (!isAbort(error)) setProblem(problemOfError(error));
      },
    );
    organisationRead.then(
      (value) => {
        setOrganisation(value);
        setOrganisationProblem(null);
      },
      (error: unknown) => {
        if (!isAbort(error)) setOrganisationProblem(problemOfError(error));
      },
    );
    return () => abort.abort();
  }, [attempt]);

  const setActingFor = useCallback(async (patientId: string) => {
    const answer = await api.put<{ actingFor: string }>('/api/v1/me/acting-for', { patientId });
    setMe((current) => (current ? { ...current, actingFor: answer.actingFor } : current));
  }, []);

  const refreshOrganisation = useCallback(async (options: { logoChanged?: boolean } = {}) => {
    try {
      setOrganisation(await readOrganisation());
      setOrganisationProblem(null);
      if (options.logoChanged) setLogoVersion((v) => v + 1);
    } catch (error) {
      setOrganisationProblem(problemOfError(error));
    }
  }, []);

  const session = useMemo<Session | null>(() => {
    if (!me) return null;
    return {
      me,
      isStaff: me.user.roles.includes('staff'),
      patient: patientOf(me),
      canSwitchPatient: me.patients.length > 1,
      setActingFor,
      organisation,
      organisationProblem,
      logoVersion,
      refreshOrganisation,
    };
  }, [me, organisation, organisationProblem, logoVersion, setActingFor, refreshOrganisation]);

  if (problem) {
    return (
      <main className="startup" id="main-content">
        <h1>The portal could not start</h1>
        <ProblemMessage problem={problem} />
        <Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button>
      </main>
    );
  }
  if (!session) {
    return (
      <main className="startup" id="main-content" aria-busy="true">
        <p role="status">Loading your portal…</p>
      </main>
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Ends the session at the gateway, then goes where the gateway says (Keycloak's logout, then the login page). */
export async function logOut(): Promise<void> {
  const answer = await api.post<{ redirectTo?: string }>('/auth/logout');
  window.location.assign(answer?.redirectTo || '/');
}
