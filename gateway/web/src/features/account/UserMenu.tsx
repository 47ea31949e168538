// Seed step 10: the user's name at the top right opens "Change password", "Set up two-step login",
// "Email preferences" (patients and guardians: which emails they get) and "Log out". Changing the
// password and setting up a one-time-password app (the second factor) happen on Keycloak's own
// pages, which then send the user back; logging out ends the gateway session and then Keycloak's.
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { currentPath, problemOfError } from '../../app/api';
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
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  // Staff get no patient emails; patients and guardians choose theirs.
  const getsEmails = me.user.roles.includes('patient') || me.user.roles.includes('guardian');
  // Success leaves the app; only a failure has anything to show here.
  const leave = useMutation({ mutationFn: logOut });
  const problem = leave.error ? problemOfError(leave.error) : null;

  return (
    <>
      <MenuButton
        className="user-menu"
        accessibleLabel={t('account.menuLabel', { name: me.user.name })}
        items={[
          { key: 'password', label: t('account.changePassword'), onSelect: () => window.location.assign(changePasswordUrl(currentPath())) },
          { key: 'two-factor', label: t('account.twoFactor'), onSelect: () => window.location.assign(twoFactorUrl(currentPath())) },
          ...(getsEmails
            ? [
                {
                  key: 'email-preferences',
                  label: t('account.emailPreferences'),
                  onSelect: () => void navigate('/account/email-preferences'),
                },
              ]
            : []),
          {
            key: 'logout',
            label: leave.isPending || leave.isSuccess ? t('account.loggingOut') : t('account.logOut'),
            onSelect: () => leave.mutate(),
          },
        ]}
      >
        <Icon name="person" />
        <span className="user-menu__name">{me.user.name}</span>
      </MenuButton>
      {problem && (
        <Dialog title={t('account.stillLoggedIn')} onClose={() => leave.reset()}>
          <ProblemMessage problem={problem} heading={t('account.logOutFailed')} />
          <div className="form-actions">
            <Button variant="primary" onClick={() => leave.reset()} data-autofocus>
              {t('common.close')}
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
