// Who is asking: until the browser login (sessions) arrives, callers present a Keycloak access
// token as a bearer token. It is verified here, at the edge, and again by every service it reaches.
import { bearerToken, InvalidTokenError, type Principal, type TokenVerifier } from '@portico/kit/identity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problems, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    accessToken?: string;
  }
}

export function requireAuthentication(verify: TokenVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) return sendProblem(reply.header('www-authenticate', 'Bearer'), problems.unauthenticated('Send a bearer access token.'));
    try {
      request.principal = await verify(token);
      request.accessToken = token;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return sendProblem(
        reply.header('www-authenticate', 'Bearer error="invalid_token"'),
        problems.unauthenticated('The access token is not valid.'),
      );
    }
  };
}
