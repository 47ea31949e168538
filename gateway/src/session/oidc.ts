// The OpenID Connect relying party: authorization code flow with PKCE against Keycloak, refresh
// with rotation, Keycloak's application-initiated actions (change password), and logout.
import * as client from 'openid-client';
import type { SessionTokens } from './session-store.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where Keycloak sends the browser back: <PUBLIC_URL>/auth/callback. */
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** What the gateway remembers between sending the browser to Keycloak and its return. */
export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export class OidcClient {
  private constructor(
    private readonly config: client.Configuration,
    private readonly settings: OidcSettings,
  ) {}

  static async discover(settings: OidcSettings): Promise<OidcClient> {
    const url = new URL(settings.issuer);
    const config = await client.discovery(url, settings.clientId, settings.clientSecret, undefined, {
      // Plain HTTP only for a Keycloak on this machine (development and tests).
      ...(url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname) ? { execute: [client.allowInsecureRequests] } : {}),
    });
    return new OidcClient(config, settings);
  }

  /** A new attempt and the Keycloak URL to send the browser to; `action` asks for e.g. UPDATE_PASSWORD. */
  async start(returnTo: string, action?: string): Promise<{ attempt: LoginAttempt; url: string }> {
    const attempt: LoginAttempt = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
      state: attempt.state,
      nonce: attempt.nonce,
      ...(action ? { kc_action: action } : {}),
    });
    return { attempt, url: url.href };
  }

  /** Exchanges the code Keycloak returned; throws when state, nonce or PKCE do not match. */
  async finish(callbackUrl: URL, attempt: LoginAttempt): Promise<SessionTokens> {
    const response = await client.authorizationCodeGrant(this.config, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    return tokensOf(response);
  }

  /** New tokens for a refresh token; Keycloak rotates the refresh token too. */
  async refresh(tokens: SessionTokens): Promise<SessionTokens> {
    const response = await client.refreshTokenGrant(this.config, tokens.refreshToken);
    const next = tokensOf(response);
    return { ...next, idToken: next.idToken || tokens.idToken };
  }

  /** Ends the Keycloak session from the server side, so it ends even if the browser goes elsewhere. */
  async revoke(tokens: SessionTokens): Promise<void> {
    const endpoint = this.config.serverMetadata().end_session_endpoint;
    if (!endpoint) return;
    await fetch(endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        refresh_token: tokens.refreshToken,
      }),
    });
  }

  /** Where to send the browser after logout, so Keycloak forgets it too. */
  endSessionUrl(idToken: string): string {
    return client.buildEndSessionUrl(this.config, { id_token_hint: idToken, post_logout_redirect_uri: this.settings.postLogoutRedirectUri })
      .href;
  }
}

function tokensOf(response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): SessionTokens {
  if (!response.refresh_token) throw new Error('Keycloak returned no refresh token');
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    idToken: response.id_token ?? '',
    accessExpiresAt: Date.now() + (response.expiresIn() ?? 60) * 1000,
  };
}
