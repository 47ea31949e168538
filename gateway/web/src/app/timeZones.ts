// Time zones a clinic chooses from: the tz database's canonical zones (Asia/Kolkata, not ICU's
// older Asia/Calcutta) as @vvo/tzdb keeps them, zones that share their rules merged, named for
// people in the browser's language with the offset in force today ("(GMT+05:30) India Time —
// Mumbai, Delhi, …"), grouped by continent. UTC stays available.
import { getTimeZones } from '@vvo/tzdb';

export interface TimeZoneOption {
  zone: string;
  label: string;
}

export interface TimeZoneGroup {
  region: string;
  zones: TimeZoneOption[];
}

const language = () => (typeof navigator !== 'undefined' ? navigator.language : 'en');

const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '−' : '+';
  const absolute = Math.abs(minutes);
  return `GMT${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
};

let cached: { groups: TimeZoneGroup[]; aliases: Map<string, string> } | null = null;

function load() {
  if (cached) return cached;
  const zones = getTimeZones({ includeUtc: true, locale: language() });
  const groups = new Map<string, TimeZoneOption[]>();
  const aliases = new Map<string, string>();
  for (const zone of zones) {
    // UTC has no continent: it leads the list under its own heading.
    const region = zone.continentName || 'UTC';
    const cities = zone.mainCities.filter(Boolean).join(', ');
    const label = `(${offsetText(zone.currentTimeOffsetInMinutes)}) ${zone.alternativeName}${cities ? ` — ${cities}` : ''}`;
    groups.set(region, [...(groups.get(region) ?? []), { zone: zone.name, label }]);
    for (const other of zone.group) aliases.set(other, zone.name);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b, language())));
  cached = { groups: ordered.map(([region, list]) => ({ region, zones: list })), aliases };
  return cached;
}

export function timeZoneGroups(): TimeZoneGroup[] {
  return load().groups;
}

/** The zone as the tz database names it, for comparing: ICU calls Asia/Kolkata Asia/Calcutta. */
function icuName(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The option a stored zone is shown as: itself when listed, or the canonical zone it is another
 * name of (Asia/Calcutta → Asia/Kolkata). A zone merged into another only because their rules
 * agree today (America/Indiana/Knox) is not the same zone: undefined, so it is shown as it is.
 */
export function listedTimeZone(stored: string): string | undefined {
  const { groups, aliases } = load();
  if (groups.some((g) => g.zones.some((z) => z.zone === stored))) return stored;
  const candidate = aliases.get(stored);
  return candidate && icuName(candidate) === icuName(stored) ? candidate : undefined;
}
