import { InvalidInput } from '@portico/kit/domain';
import { describe, expect, it } from 'vitest';
import { validateClinicSettings } from './settings.js';

describe("a clinic's reminder lead time", () => {
  it('is a whole number of hours from 1 to 168', () => {
    expect(validateClinicSettings({ reminderLeadHours: 1 })).toEqual({ reminderLeadHours: 1 });
    expect(validateClinicSettings({ reminderLeadHours: 168 })).toEqual({ reminderLeadHours: 168 });
    for (const hours of [0, -3, 169, 1.5]) {
      const error = (() => {
        try {
          validateClinicSettings({ reminderLeadHours: hours });
        } catch (e) {
          return e;
        }
      })();
      expect(error, String(hours)).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).violations).toEqual([
        { field: 'settings.reminder_lead_hours', message: expect.stringMatching(/hours/) },
      ]);
    }
  });
});
