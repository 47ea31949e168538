// Reads what the platform sent through Mailpit's HTTP API (MAILPIT_URL, default
// http://127.0.0.1:8025): search by recipient, then the message with its HTML and text.

export const mailpitUrl = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';

export interface MailSummary {
  ID: string;
  Subject: string;
  From: { Name: string; Address: string };
  To: { Name: string; Address: string }[];
  Created: string;
}

export interface MailMessage extends MailSummary {
  HTML: string;
  Text: string;
  Inline?: { PartID: string; FileName: string; ContentType: string; ContentID: string }[];
  Attachments?: { PartID: string; FileName: string; ContentType: string }[];
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${mailpitUrl}${path}`);
  if (!response.ok) throw new Error(`Mailpit ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function searchTo(address: string): Promise<MailSummary[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  return (await getJson<{ messages: MailSummary[] }>(`/api/v1/search?query=${query}`)).messages ?? [];
}

export async function message(id: string): Promise<MailMessage> {
  return getJson<MailMessage>(`/api/v1/message/${encodeURIComponent(id)}`);
}

/** Waits for the first message to `address` (optionally one whose subject matches) and returns it whole. */
export async function waitForMail(address: string, options: { subject?: RegExp; timeoutMs?: number } = {}): Promise<MailMessage> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const found = (await searchTo(address)).find((m) => !options.subject || options.subject.test(m.Subject));
    if (found) return message(found.ID);
    if (Date.now() > deadline)
      throw new Error(`no email to ${address}${options.subject ? ` with subject ${options.subject}` : ''} arrived in Mailpit`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The inline part (e.g. the logo referenced as cid:…) as bytes. */
export async function part(id: string, partId: string): Promise<Buffer> {
  const response = await fetch(`${mailpitUrl}/api/v1/message/${encodeURIComponent(id)}/part/${encodeURIComponent(partId)}`);
  if (!response.ok) throw new Error(`Mailpit part ${partId}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
