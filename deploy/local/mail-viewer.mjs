// Development only (`make dev`): the emails Mailpit caught, readable in a browser, since the
// Mailpit built from the Go module has no web UI (its UI is a separate npm build of a Vue app).
// A page of our own over Mailpit's HTTP API is less to build and keep than that app: a list and
// one message at a time. Never part of the production gateway; binds to 127.0.0.1 only.
//   MAIL_VIEWER_PORT (default 8026), MAILPIT_URL (default http://127.0.0.1:8025)
import { createServer } from 'node:http';

const port = Number(process.env.MAIL_VIEWER_PORT ?? 8026);
const mailpit = (process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025').replace(/\/$/, '');

const escapeHtml = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const address = (a) => (a ? escapeHtml(a.Name ? `${a.Name} <${a.Address}>` : a.Address) : '');
const when = (iso) => escapeHtml(new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC');

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Portico dev mail</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}
a{color:#0b5cad}iframe{width:100%;min-height:36rem;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
.note{color:#555}
</style></head><body>${body}</body></html>`;
}

async function mailpitJson(path) {
  const response = await fetch(`${mailpit}${path}`, { signal: globalThis.AbortSignal.timeout(5000) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Mailpit ${path}: HTTP ${response.status}`);
  return response.json();
}

async function inbox() {
  const { messages = [], total = 0 } = await mailpitJson('/api/v1/messages?limit=100');
  const rows = messages
    .map(
      (m) =>
        `<tr><td>${when(m.Created)}</td><td>${(m.To ?? []).map(address).join(', ')}</td>` +
        `<td><a href="/message/${encodeURIComponent(m.ID)}">${escapeHtml(m.Subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  return page(
    'Emails sent',
    `<h1>Emails sent by Portico</h1>
<p class="note">Development only: every email the platform sent on this machine (${total}, newest first), as caught by Mailpit.</p>
${messages.length ? `<table><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No email yet.</p>'}`,
  );
}

async function message(id) {
  const m = await mailpitJson(`/api/v1/message/${encodeURIComponent(id)}`);
  if (!m) return undefined;
  // Inline images (the clinic's logo) are parts of the message, named by cid: URLs.
  const parts = new Map((m.Inline ?? []).map((part) => [part.ContentID, `/message/${encodeURIComponent(id)}/part/${part.PartID}`]));
  const body = (m.HTML ?? '').replace(/cid:([^"'\s)]+)/g, (cid, contentId) => parts.get(contentId) ?? cid);
  // The email's HTML runs in a sandbox with no scripts; its links open in a new tab.
  const html = m.HTML
    ? `<iframe title="The email as sent" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(
        `<base target="_blank">${body}`,
      )}"></iframe>`
    : '';
  return page(
    m.Subject,
    `<p><a href="/">← All emails</a></p>
<h1>${escapeHtml(m.Subject || '(no subject)')}</h1>
<table><tbody>
<tr><th scope="row">From</th><td>${address(m.From)}</td></tr>
<tr><th scope="row">To</th><td>${(m.To ?? []).map(address).join(', ')}</td></tr>
<tr><th scope="row">Sent</th><td>${when(m.Date)}</td></tr>
</tbody></table>
${html}
${m.Text ? `<h2>Plain text</h2><pre>${escapeHtml(m.Text)}</pre>` : ''}`,
  );
}

const server = createServer(async (request, response) => {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    // No scripts anywhere; the email's images are its own parts (served here) or the portal's.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: http://127.0.0.1:* http://localhost:*; frame-src 'self'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  try {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const part = /^\/message\/([\w-]+)\/part\/([\w.-]+)$/.exec(url.pathname);
    if (part) {
      // Only the message's inline images, with the type the message gives them (Mailpit serves
      // every part as application/octet-stream).
      const inline = (await mailpitJson(`/api/v1/message/${part[1]}`))?.Inline?.find((p) => p.PartID === part[2]);
      if (!inline?.ContentType?.startsWith('image/')) return response.writeHead(404, headers).end(page('Not found', '<h1>Not found</h1>'));
      const upstream = await fetch(`${mailpit}/api/v1/message/${part[1]}/part/${part[2]}`, {
        signal: globalThis.AbortSignal.timeout(5000),
      });
      if (!upstream.ok) throw new Error(`Mailpit part: HTTP ${upstream.status}`);
      return response.writeHead(200, { ...headers, 'content-type': inline.ContentType }).end(Buffer.from(await upstream.arrayBuffer()));
    }
    const match = /^\/message\/([\w-]+)$/.exec(url.pathname);
    const body = url.pathname === '/' ? await inbox() : match ? await message(match[1]) : undefined;
    response.writeHead(body ? 200 : 404, headers).end(body ?? page('Not found', '<h1>Not found</h1><p><a href="/">All emails</a></p>'));
  } catch (error) {
    response
      .writeHead(502, headers)
      .end(page('Mailpit unavailable', `<h1>Mailpit did not answer</h1><p>${escapeHtml(error.message)}. Is it running? make infra-up</p>`));
  }
});
server.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ level: 'info', msg: `emails sent: http://127.0.0.1:${port}` })));
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // a browser's idle keep-alive connection would hold it open
  });
