// The words of the appointment emails, in English: the message catalog (i18next) that another
// language copies key for key. Values are interpolated as {{name}}; the HTML version escapes
// them. A key ending in _guardian is what a guardian reads about the patient they act for
// (i18next's context), e.g. "Sam's appointment" instead of "Your appointment".
export const en = {
  appointment: {
    subject: {
      scheduled: 'Your appointment on {{when}} is confirmed',
      scheduled_guardian: "{{patientName}}'s appointment on {{when}} is confirmed",
      rescheduled: 'Your appointment has moved to {{when}}',
      rescheduled_guardian: "{{patientName}}'s appointment has moved to {{when}}",
      cancelled: 'Your appointment on {{when}} is cancelled',
      cancelled_guardian: "{{patientName}}'s appointment on {{when}} is cancelled",
      reminder: 'Reminder: your appointment on {{when}}',
      reminder_guardian: "Reminder: {{patientName}}'s appointment on {{when}}",
    },
    greeting: 'Hello {{recipientName}},',
    greetingNoName: 'Hello,',
    what: {
      scheduled: 'Your appointment with {{clinicName}} is confirmed for {{when}}.',
      scheduled_guardian: "{{patientName}}'s appointment with {{clinicName}} is confirmed for {{when}}.",
      rescheduled: 'Your appointment with {{clinicName}} has moved from {{previously}} to {{when}}.',
      rescheduled_guardian: "{{patientName}}'s appointment with {{clinicName}} has moved from {{previously}} to {{when}}.",
      cancelled: 'Your appointment with {{clinicName}} on {{when}} is cancelled.',
      cancelled_guardian: "{{patientName}}'s appointment with {{clinicName}} on {{when}} is cancelled.",
      reminder: 'This is a reminder of your appointment with {{clinicName}} on {{when}}.',
      reminder_guardian: "This is a reminder of {{patientName}}'s appointment with {{clinicName}} on {{when}}.",
    },
    mode: {
      in_person: 'It is an in-person visit.',
      video: 'It is a video visit: join it from the patient portal when it is time.',
      unspecified: '',
    },
    seeAppointments: 'See your appointments in the patient portal:',
    openAppointments: 'Open my appointments',
    callClinic: 'To change it or ask a question, call {{clinicName}} on {{clinicPhone}}.',
    callClinicNoPhone: 'To change it or ask a question, contact {{clinicName}}.',
    why: "You get this email because you use {{clinicName}}'s patient portal. You can turn appointment emails off in the portal's settings.",
  },
  shared: {
    subject: 'Something new from {{clinicName}} in your patient portal',
    subject_guardian: 'Something new from {{clinicName}} for {{patientName}}',
    what: '{{clinicName}} shared something new with you. Sign in to the patient portal to see it under Documents.',
    what_guardian: '{{clinicName}} shared something new with {{patientName}}. Sign in to the patient portal to see it under Documents.',
    seeDocuments: 'Open Documents in the patient portal:',
    openDocuments: 'Open Documents',
    why: "You get this email because you use {{clinicName}}'s patient portal. It never says what was shared: that stays in the portal.",
  },
  consentAssigned: {
    subject: '{{clinicName}} asks you to sign a consent',
    subject_guardian: '{{clinicName}} asks you to sign a consent for {{patientName}}',
    what: '{{clinicName}} asks you to read and sign a consent. Sign in to the patient portal to see it under Documents, Consents.',
    what_guardian:
      '{{clinicName}} asks you to read and sign a consent for {{patientName}}. Sign in to the patient portal to see it under Documents, Consents.',
    seeDocuments: 'Open Consents in the patient portal:',
    openDocuments: 'Open Consents',
    why: "You get this email because you use {{clinicName}}'s patient portal. It never says what the consent is: that stays in the portal.",
  },
  formAssigned: {
    subject: 'A form to fill in for {{clinicName}}',
    subject_guardian: 'A form to fill in for {{clinicName}} about {{patientName}}',
    what: '{{clinicName}} asks you to fill in a form. Sign in to the patient portal to find it under Documents, in Forms and Surveys.',
    what_guardian:
      '{{clinicName}} asks you to fill in a form for {{patientName}}. Sign in to the patient portal to find it under Documents, in Forms and Surveys.',
    seeDocuments: 'Open Forms and Surveys in the patient portal:',
    openDocuments: 'Open Forms and Surveys',
    why: "You get this email because you use {{clinicName}}'s patient portal. It never says what the form asks: that stays in the portal.",
  },
  screeningFlagged: {
    subject: 'A patient’s screening needs attention',
    what: 'A screening a patient of {{clinicName}} completed in the patient portal needs a clinician’s attention today.',
    seeRecord: 'Open the patient’s record in the portal (staff sign-in):',
    openRecord: 'Open the patient’s record',
    why: 'You get this email because this address is the clinic’s designated address in the portal’s organisation profile. It never holds answers, scores or names: those stay in the portal.',
  },
  billing: {
    receiptSubject: 'Payment received: thank you',
    receiptSubject_guardian: 'Payment received for {{patientName}}: thank you',
    receipt: '{{clinicName}} received your payment of {{amount}}. Your receipt is in the patient portal under Billing, Payments.',
    receipt_guardian:
      '{{clinicName}} received a payment of {{amount}} for {{patientName}}. The receipt is in the patient portal under Billing, Payments.',
    statementSubject: 'Your statement for {{month}} is ready',
    statementSubject_guardian: "{{patientName}}'s statement for {{month}} is ready",
    statement: 'Your statement from {{clinicName}} for {{month}} is ready. Balance at the end of the month: {{amount}}.',
    statement_guardian:
      "{{patientName}}'s statement from {{clinicName}} for {{month}} is ready. Balance at the end of the month: {{amount}}.",
    seeBilling: 'Open Billing in the patient portal:',
    openBilling: 'Open Billing',
    why: "You get this email because you use {{clinicName}}'s patient portal. It never lists services: those stay in the portal.",
  },
} as const;
