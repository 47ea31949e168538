// Reads what really reached the SMTP server (Mailpit's HTTP API), for assertions on emails.
import { waitUntil } from './kafka.js';

const mailpitUrl = () => process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';

export interface MailpitAddress {
  Name: string;
  Address: string;
}

export interface MailpitPart {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
}

export interface MailpitMessage {
  ID: string;
  Subject: string;
  From: MailpitAddress;
  To: MailpitAddress[];
  Text: string;
  HTML: string;
  Inline: MailpitPart[];
  Attachments: MailpitPart[];
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${mailpitUrl()}${path}`);
  if (!response.ok) throw new Error(`Mailpit ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/**
 * Every message sent to `address` (whose subject matches `subject`, when given), oldest first,
 * once there are at least `count`.
 */
export async function waitForEmails(address: string, count = 1, timeoutMs = 20_000, subject?: RegExp): Promise<MailpitMessage[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  const found = await waitUntil(
    async () => {
      const result = await getJson<{ messages: { ID: string; Created: string; Subject: string }[] }>(
        `/api/v1/search?query=${query}&limit=50`,
      );
      const matching = result.messages.filter((m) => !subject || subject.test(m.Subject));
      return matching.length >= count ? matching : undefined;
    },
    timeoutMs,
    `${count} email(s) to ${address}`,
    250,
  );
  const ordered = [...found].sort((a, b) => a.Created.localeCompare(b.Created));
  return Promise.all(ordered.map((m) => getJson<MailpitMessage>(`/api/v1/message/${m.ID}`)));
}

/** The decoded bytes of one part (an inline image, an attachment) of a message. */
export async function emailPart(messageId: string, partId: string): Promise<Buffer> {
  const response = await fetch(`${mailpitUrl()}/api/v1/message/${messageId}/part/${partId}`);
  if (!response.ok) throw new Error(`Mailpit part ${partId}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
