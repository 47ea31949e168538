// The electronic-records disclosure a signer accepts before their first electronic signature,
// covering what the ESIGN Act (15 U.S.C. §7001(c)(1)) asks a consumer to be told: the right to
// have the record on paper, how to withdraw consent to electronic records and what that means,
// what the consent covers, how to get a paper copy, and the hardware and software needed to open
// and keep the records. The text is versioned: a signature records the version its signer
// accepted, so a later wording never rewrites what someone agreed to.

export interface DisclosureSection {
  heading: string;
  body: string;
}

export interface ElectronicRecordsDisclosure {
  /** Changes whenever a word of the text changes; recorded with every signature. */
  version: string;
  title: string;
  sections: readonly DisclosureSection[];
}

/** The §7001(c) items, in the order the Act lists them, in words a patient reads. */
export const ESIGN_DISCLOSURE: ElectronicRecordsDisclosure = Object.freeze({
  version: 'esign-2026-12-01',
  title: 'Consent to electronic records and signatures',
  sections: Object.freeze([
    {
      heading: 'Your right to paper',
      body:
        'You may receive any document your clinic asks you to sign on paper instead, and sign it on ' +
        'paper, at no charge. Ask the clinic by phone, by email or at the front desk. Choosing paper ' +
        'does not change your care.',
    },
    {
      heading: 'What this consent covers',
      body:
        'This consent covers the documents your clinic asks you to sign in the portal (consents, ' +
        'releases of information and policies) for yourself or for a patient you are the guardian ' +
        'of, and the signed copies the portal keeps. It lasts until you withdraw it.',
    },
    {
      heading: 'How to withdraw your consent',
      body:
        'You may withdraw this consent at any time by telling your clinic by phone, by email or in ' +
        'person. Withdrawing it does not undo documents you already signed electronically; from then ' +
        'on the clinic gives you documents to sign on paper. There is no fee or penalty for withdrawing.',
    },
    {
      heading: 'How to get a copy',
      body:
        'Every document you sign is kept as a PDF you can ask your clinic for at any time. The clinic ' +
        'gives you a paper copy on request, at no charge.',
    },
    {
      heading: 'What you need',
      body:
        'A device with a current web browser (Chrome, Edge, Firefox or Safari, in their supported ' +
        'versions) with JavaScript turned on, an internet connection, an email address to be told ' +
        'about new documents, and software that opens PDF files (most browsers do) to read, print ' +
        'or keep a signed copy. If what is needed changes in a way that could stop you opening your ' +
        'records, the clinic asks for your consent again.',
    },
  ]),
});

/** The disclosure as plain text (title, then each heading and its paragraph), e.g. for a PDF. */
export function disclosureText(disclosure: ElectronicRecordsDisclosure = ESIGN_DISCLOSURE): string {
  return [disclosure.title, ...disclosure.sections.map((s) => `${s.heading}\n${s.body}`)].join('\n\n');
}
