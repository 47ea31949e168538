// The country and time-zone choices of the web app's forms: current ISO 3166-1 codes only, each
// country once (the lists once held 16 names twice, backed by withdrawn codes such as UK and SU),
// and canonical tz database zones with readable names, grouped, UTC first.
import { describe, expect, it } from 'vitest';
import { regionName, regions } from '../src/app/regions';
import { listedTimeZone, timeZoneGroups } from '../src/app/timeZones';

describe('countries', () => {
  it('offers each country once, by its current code', () => {
    const list = regions();
    const codes = list.map((r) => r.code);
    for (const withdrawn of ['UK', 'SU', 'YU', 'ZR', 'FX', 'TP', 'AN', 'CS']) expect(codes, withdrawn).not.toContain(withdrawn);
    for (const notACountry of ['EU', 'UN', 'ZZ', 'XA', 'QO']) expect(codes, notACountry).not.toContain(notACountry);
    expect(codes).toContain('GB');
    expect(codes).toContain('RS');
    const names = list.map((r) => r.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    expect(list.length).toBeGreaterThan(240);
  });

  it('names a stored withdrawn code as the country it stood for', () => {
    expect(regionName('UK')).toBe(regionName('GB'));
    expect(regionName('gb')).toBe('United Kingdom');
  });
});

describe('time zones', () => {
  it('lists canonical zones with their offset, grouped by continent, UTC first', () => {
    const groups = timeZoneGroups();
    expect(groups[0]?.region).toBe('UTC');
    expect(groups[0]?.zones.map((z) => z.zone)).toEqual(['Etc/UTC']);
    const all = groups.flatMap((g) => g.zones);
    expect(all.map((z) => z.zone)).toContain('Asia/Kolkata');
    expect(all.map((z) => z.zone)).not.toContain('Asia/Calcutta');
    expect(all.find((z) => z.zone === 'Asia/Kolkata')?.label).toMatch(/^\(GMT\+05:30\) India (Standard )?Time — Mumbai/);
    expect(groups.find((g) => g.region === 'Europe')?.zones.map((z) => z.zone)).toContain('Europe/London');
    // Far fewer than ICU's 400-odd raw identifiers, and each listed once.
    expect(new Set(all.map((z) => z.zone)).size).toBe(all.length);
    expect(all.length).toBeLessThan(400);
  });

  it('shows a stored zone under its other name as the listed one, and keeps a zone that only agrees today as it is', () => {
    expect(listedTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(listedTimeZone('UTC')).toBe('Etc/UTC');
    expect(listedTimeZone('Europe/London')).toBe('Europe/London');
    expect(listedTimeZone('Not/AZone')).toBeUndefined();
  });
});
