// Reads an iCalendar file as a calendar program would (ical.js): every event with its times
// resolved through the file's own VTIMEZONEs, so a missing or wrong one shows as a wrong instant.
import ICAL from 'ical.js';

export interface ReadEvent {
  uid: string;
  sequence: number;
  summary: string;
  location: string | null;
  description: string | null;
  status: unknown;
  tzid: string | null;
  start: Date;
  end: Date;
}

export function readCalendar(text: string): { name: unknown; zones: string[]; events: ReadEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone').map((z) => new ICAL.Timezone(z));
  for (const zone of zones) ICAL.TimezoneService.register(zone, zone.tzid);
  try {
    return {
      name: calendar.getFirstPropertyValue('x-wr-calname'),
      zones: zones.map((z) => z.tzid),
      events: calendar.getAllSubcomponents('vevent').map((component) => {
        const event = new ICAL.Event(component);
        return {
          uid: event.uid,
          sequence: event.sequence,
          summary: event.summary,
          location: event.location,
          description: event.description,
          status: component.getFirstPropertyValue('status'),
          tzid: (component.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
          start: event.startDate.toJSDate(),
          end: event.endDate.toJSDate(),
        };
      }),
    };
  } finally {
    for (const zone of zones) ICAL.TimezoneService.remove(zone.tzid);
  }
}
