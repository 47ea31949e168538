// The words of the emails the auth service sends, in English: the message catalog (i18next) that
// another language copies key for key. Values are interpolated as {{name}}; the HTML version
// escapes them, the text version does not need to.
export const en = {
  welcome: {
    subject: "Welcome to {{clinicName}}'s patient portal",
    greeting: 'Hello {{greetingName}},',
    invitedBy: "{{inviterName}} invited you to {{clinicName}}'s patient portal.",
    logInAt: 'Log in at: {{portalUrl}}',
    openPortal: 'Open the patient portal',
    copyAddress: 'Or copy this address into your browser:',
    username: 'Username:',
    temporaryPassword: 'Temporary password:',
    choosePassword: 'When you first log in you will be asked to choose a password of your own.',
    validUntil: 'This invitation is valid until {{until}}.',
    questions: 'Questions about the portal? Call {{clinicName}} on {{clinicPhone}}.',
    notExpected: 'If you did not expect this email, you can ignore it or call {{clinicName}}.',
  },
} as const;
