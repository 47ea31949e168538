// Seed step 10: the user's name at the top right opens "Change password", "Set up two-step login"
// and "Log out". All leave the app: changing the password and setting up a one-time-password app
// (the second factor) happen on Keycloak's own pages, which then send the user back; logging out
// ends the gateway session and then Keycloak's.
import { useState } from 'react';
import { currentPath, problemOfError, type Problem } from '../../app/api';
import { logOut, useSession } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { MenuButton } from '../../components/MenuButton';
import { ProblemMessage } from '../../components/ProblemMessage';

export function changePasswordUrl(returnTo: string): string {
  return `/auth/change-password?returnTo=${encodeURIComponent(returnTo)}`;
}

export function twoFactorUrl(returnTo: string): string {
  return `/auth/two-factor?returnTo=${encodeURIComponent(returnTo)}`;
}

export function UserMenu() {
  const { me } = useSession();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [leaving, setLeaving] = useState(false);

  const logOutNow = async () => {
    setLeaving(true);
    try {
      await logOut();
    } catch (error) {
      setLeaving(false);
      setProblem(problemOfError(error));
    }
  };

  return (
    <>
      <MenuButton
        className="user-menu"
        accessibleLabel={`${me.user.name}: account menu`}
        items={[
          { key: 'password', label: 'Change password', onSelect: () => window.location.assign(changePasswordUrl(currentPath())) },
          { key: 'two-factor', label: 'Set up two-step login', onSelect: () => window.location.assign(twoFactorUrl(currentPath())) },
          { key: 'logout', label: leaving ? 'Logging out…' : 'Log out', onSelect: () => void logOutNow() },
        ]}
      >
        <Icon name="person" />
        <span className="user-menu__name">{me.user.name}</span>
      </MenuButton>
      {problem && (
        <Dialog title="You are still logged in" onClose={() => setProblem(null)}>
          <ProblemMessage problem={problem} heading="Logging out did not work." />
          <div className="form-actions">
            <Button variant="primary" onClick={() => setProblem(null)} data-autofocus>
              Close
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
