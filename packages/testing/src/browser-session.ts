// A browser without a browser: follows the OIDC login through the gateway and Keycloak's real
// login form with plain HTTP, keeping cookies per host, for API-level tests of sessions.

export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  store(url: string, response: Response): string[] {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    const raw = response.headers.getSetCookie();
    for (const header of raw) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
    return raw;
  }

  header(url: string): string {
    return [...(this.cookies.get(new URL(url).host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }
}

export class BrowserSession {
  readonly jar = new CookieJar();
  /** Set-Cookie headers the gateway sent, for checking their attributes. */
  readonly gatewayCookies: string[] = [];

  constructor(readonly gatewayUrl: string) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const absolute = new URL(url, this.gatewayUrl).href;
    const cookie = this.jar.header(absolute);
    const response = await fetch(absolute, {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) },
    });
    const set = this.jar.store(absolute, response);
    if (absolute.startsWith(this.gatewayUrl)) this.gatewayCookies.push(...set);
    return response;
  }

  /** Logs in through /auth/login and Keycloak's form; returns where the gateway finally sends the browser. */
  async logIn(username: string, password: string, returnTo = '/', newPassword?: string): Promise<string> {
    let response = await this.request(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    if (response.status !== 303) throw new Error(`/auth/login answered ${response.status}`);
    response = await this.request(response.headers.get('location')!);
    const html = await response.text();
    const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error('no Keycloak login form');
    response = await this.request(action.replaceAll('&amp;', '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, credentialId: '' }),
    });
    // Keycloak may first send the browser to one of its own pages (a required action).
    while (response.status === 302 && !response.headers.get('location')!.startsWith(this.gatewayUrl)) {
      response = await this.request(response.headers.get('location')!);
    }
    if (response.status === 200 && newPassword) {
      // A temporary password: Keycloak asks for a new one before letting the person in.
      const page = await response.text();
      const update = /<form[^>]*id="kc-passwd-update-form"[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (!update) throw new Error(`Keycloak did not ask for a new password: ${page.slice(0, 200)}`);
      response = await this.request(update.replaceAll('&amp;', '&'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'password-new': newPassword, 'password-confirm': newPassword }),
      });
    }
    const callback = response.headers.get('location');
    if (response.status !== 302 || !callback?.startsWith(this.gatewayUrl))
      throw new Error(
        `Keycloak did not send the browser back (${response.status} to ${callback}): ${(await response.text()).slice(0, 300)}`,
      );
    response = await this.request(callback);
    if (response.status !== 303) throw new Error(`/auth/callback answered ${response.status}: ${await response.text()}`);
    return response.headers.get('location')!;
  }

  /** Follows redirects for as long as they stay away from the gateway (Keycloak's own pages). */
  async followKeycloak(response: Response): Promise<Response> {
    let current = response;
    while ([302, 303].includes(current.status) && !current.headers.get('location')!.startsWith(this.gatewayUrl)) {
      current = await this.request(current.headers.get('location')!);
    }
    return current;
  }

  /** The form with this id on an HTML page: where it posts and its hidden inputs. */
  static form(html: string, formId: string): { action: string; hidden: Record<string, string> } | undefined {
    return htmlForm(html, formId);
  }

  /** Submits the form with this id as a browser would: its hidden inputs, then `fields` on top. */
  async submitForm(html: string, formId: string, fields: Record<string, string>): Promise<Response> {
    const form = htmlForm(html, formId);
    if (!form) throw new Error(`no form with id ${formId}: ${html.slice(0, 300)}`);
    return this.request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.hidden, ...fields }),
    });
  }

  /** Once Keycloak sends the browser back to /auth/callback: where the gateway then sends it. */
  async backToGateway(response: Response): Promise<string> {
    const callback = response.headers.get('location');
    if (response.status !== 302 || !callback?.startsWith(this.gatewayUrl))
      throw new Error(
        `Keycloak did not send the browser back (${response.status} to ${callback}): ${(await response.text()).slice(0, 300)}`,
      );
    const answer = await this.request(callback);
    if (answer.status !== 303) throw new Error(`/auth/callback answered ${answer.status}: ${await answer.text()}`);
    return answer.headers.get('location')!;
  }

  async api(path: string, init: RequestInit & { csrf?: string } = {}): Promise<Response> {
    const { csrf, ...rest } = init;
    return this.request(path, {
      ...rest,
      headers: {
        ...(rest.body ? { 'content-type': 'application/json' } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...(rest.headers ?? {}),
      },
    });
  }
}

/** The form with this id on an HTML page: where it posts and its hidden inputs (entities decoded). */
function htmlForm(html: string, formId: string): { action: string; hidden: Record<string, string> } | undefined {
  const match = new RegExp(`<form\\b[^>]*\\bid="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!match) return undefined;
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const action = attribute(match[0].slice(0, match[0].indexOf('>') + 1), 'action');
  if (action === undefined) return undefined;
  const hidden: Record<string, string> = {};
  for (const [input] of match[1]!.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(input, 'name');
    if (attribute(input, 'type') === 'hidden' && name) hidden[decodeEntities(name)] = decodeEntities(attribute(input, 'value') ?? '');
  }
  return { action: decodeEntities(action), hidden };
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()]!;
    return String.fromCodePoint(entity[1]!.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}
