// The consent texts every clinic can assign until it writes its own: examples of the four kinds
// seed step 6 names. Each has a version; a changed word is a new version, and a consent keeps the
// exact text (and its SHA-256) it was assigned with, so a signature always belongs to one text.
import type { ConsentKind } from './consents.js';

export interface ConsentTemplate {
  templateId: string;
  version: number;
  kind: ConsentKind;
  title: string;
  text: string;
}

export const CONSENT_TEMPLATES: readonly ConsentTemplate[] = Object.freeze([
  {
    templateId: 'consent-to-treatment',
    version: 1,
    kind: 'treatment',
    title: 'Consent to treatment',
    text: [
      'I consent to assessment and treatment by the clinicians of this clinic. Treatment may include ' +
        'individual, family or group therapy, and other services my clinician recommends and explains to me.',
      'I understand that I may ask questions about my treatment at any time, that I may refuse or stop ' +
        'treatment, and that my clinician will explain the likely consequences of doing so.',
      'I understand that what I share is confidential, except where the law requires or allows ' +
        'disclosure: a risk of serious harm to myself or others, suspected abuse or neglect of a child ' +
        'or vulnerable adult, or a court order.',
      'This consent lasts until I withdraw it in writing or treatment ends.',
    ].join('\n\n'),
  },
  {
    templateId: 'release-of-information',
    version: 1,
    kind: 'release_of_information',
    title: 'Authorization to release information',
    text: [
      'I authorize this clinic to share information from my health record with the person named in ' +
        'this authorization, limited to the scope written here, until the expiry date written here.',
      'I understand that I may revoke this authorization at any time, in the portal or in writing, ' +
        'except for information already shared on its strength. My treatment does not depend on my ' +
        'signing it.',
      'Information shared may be redisclosed by its recipient and may then no longer be protected by ' +
        'federal privacy rules. Records protected by 42 CFR Part 2 are shared only as that rule allows.',
    ].join('\n\n'),
  },
  {
    templateId: 'telehealth',
    version: 1,
    kind: 'telehealth',
    title: 'Consent to telehealth',
    text: [
      'I consent to receive services by secure video or telephone. I understand that telehealth has ' +
        'benefits and limits, that technical problems may interrupt a session, and that my clinician ' +
        'may recommend meeting in person instead.',
      'I will take part from a private place, and I will tell my clinician where I am at the start of ' +
        'each session so that help can reach me in an emergency.',
      'Sessions are not recorded by either side without the written agreement of both.',
    ].join('\n\n'),
  },
  {
    templateId: 'financial-policy',
    version: 1,
    kind: 'financial_policy',
    title: 'Financial policy',
    text: [
      'I agree to pay for services at the time they are given, including copays, deductibles and ' +
        'services my insurance does not cover.',
      'Appointments cancelled with less than 24 hours notice, or missed, may be charged the ' +
        'late-cancellation fee in the clinic’s fee schedule.',
      'I authorize the clinic to bill my insurance and to receive payment from it directly.',
    ].join('\n\n'),
  },
]);

export const templateOf = (templateId: string) => CONSENT_TEMPLATES.find((t) => t.templateId === templateId);
