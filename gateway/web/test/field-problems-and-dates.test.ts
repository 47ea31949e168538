// What a person reads when the gateway refuses a form, and which day a time falls on: the field
// a gateway problem lands next to, its words, and dates in the clinic's time zone.
import { describe, expect, it } from 'vitest';
import { formatInZone } from '../src/app/dates';
import { fieldFor, readable } from '../src/app/formErrors';
import { placeOfService } from '../src/features/billing/estimates/estimateFieldPaths';

const contactFields = ['name', 'phone', 'address.line1', 'address.city', 'address.postalCode', 'purposes'] as const;

describe('a gateway field problem', () => {
  it('lands next to the field it names, whatever part of the request it came from', () => {
    expect(fieldFor('body.address.postalCode', contactFields)).toBe('address.postalCode');
    expect(fieldFor('phone', contactFields)).toBe('phone');
    expect(fieldFor('purposes.1', contactFields)).toBe('purposes');
    // A problem with the address as a whole goes to its first line.
    expect(fieldFor('body.address', contactFields)).toBe('address.line1');
    // A part of a field the form shows as one: the field.
    expect(fieldFor('body.name.first', contactFields)).toBe('name');
    expect(fieldFor('body.relationship', contactFields)).toBeNull();
    // A service names its fields as its contract does (snake_case): the form's are camelCase.
    expect(fieldFor('meeting_url', ['serviceType', 'meetingUrl'] as const)).toBe('meetingUrl');
    expect(fieldFor('details.clinician_id', ['clinicianId'] as const)).toBe('clinicianId');
    // A row of a list the form names with its position: that row's field; otherwise the list.
    const lineFields = ['lines', 'lines.0.renderingProviderNpi', 'lines.1.renderingProviderNpi'] as const;
    expect(fieldFor('lines[1].rendering_provider_npi', lineFields)).toBe('lines.1.renderingProviderNpi');
    expect(fieldFor('body.lines.0.renderingProviderNpi', lineFields)).toBe('lines.0.renderingProviderNpi');
    expect(fieldFor('lines[1].unit_price_minor', lineFields)).toBe('lines');
  });

  it('about an estimate’s service lands under the provider the form shows it with', () => {
    // Sent in order: provider 0's two services, then provider 1's one.
    const owners: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
    ];
    expect(placeOfService('items[2].service_code', owners)).toBe('providers.1.items.0.serviceCode');
    expect(placeOfService('body.items.1.unitCharge.amountMinor', owners)).toBe('providers.0.items.1.unitCharge');
    expect(placeOfService('items[1].diagnosis_codes[0]', owners)).toBe('providers.0.items.1.diagnosisCodes');
    expect(placeOfService('items[2].provider_npi', owners)).toBe('providers.1.npi');
    // Not a service, or one the form did not send: as it came.
    expect(placeOfService('providers[0].npi', owners)).toBe('providers[0].npi');
    expect(placeOfService('items[7].units', owners)).toBe('items[7].units');
  });

  it('is said in the catalog’s words when it is a schema message, and kept as a sentence otherwise', () => {
    expect(readable('must NOT have more than 200 characters')).toBe('Use at most 200 characters.');
    expect(readable('must match format "email"')).toBe('Enter an email address like name@example.org.');
    expect(readable('is not a valid phone number')).toBe('Is not a valid phone number.');
    expect(readable('is required for an emergency contact')).toBe('Is required for an emergency contact.');
  });
});

describe('a date', () => {
  it('falls on the clinic’s day, not the browser’s or UTC’s', () => {
    // 05:30 UTC on 1 December is still 30 November in Chicago; 20:00 UTC on 30 November is 1 December in Tokyo.
    expect(formatInZone('2026-12-01T05:30:00Z', 'America/Chicago')).toBe(formatInZone('2026-11-30T12:00:00Z', 'UTC'));
    expect(formatInZone('2026-11-30T20:00:00Z', 'Asia/Tokyo')).toBe(formatInZone('2026-12-01T12:00:00Z', 'UTC'));
    expect(formatInZone('2026-12-01T05:30:00Z', 'America/Chicago', 'dateTime')).toMatch(/11:30|23:30/);
  });

  it('is left out when the gateway has none, and shown as sent when it is not a date', () => {
    expect(formatInZone(null, 'America/Chicago')).toBe('');
    expect(formatInZone('soon', 'America/Chicago')).toBe('soon');
  });
});
