// The shapes the gateway answers with, as the app reads them.

export type Role = 'patient' | 'guardian' | 'staff';

export interface PatientRef {
  id: string;
  name: string;
}

export interface Me {
  user: { id: string; username: string; name: string; email: string; roles: Role[] };
  patients: PatientRef[];
  actingFor: string | null;
  csrfToken: string;
}

export interface PostalAddress {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  countryCode?: string;
}

export interface Organisation {
  name: string;
  address: PostalAddress;
  phone: string;
  email: string;
  hours: string[];
  welcomeMessage: string;
  portalUrl: string;
  timeZone: string;
  hasLogo: boolean;
  hasHandbook: boolean;
  handbookFileName: string;
  /** Sent back as If-Match when staff save the profile, so one edit cannot silently undo another. */
  version?: number;
}
