// Serves the built web app (gateway/web/dist): its files as they are, and index.html for every
// other page address, so the app's own router can show /contacts, /staff/... after a reload.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export async function webApp(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`WEB_ROOT has no index.html: build the web app first (npm run build -w @portico/web)`);
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: cacheHeaders,
  });
}

/** Hashed assets can be cached for good; index.html must always be fresh. */
function cacheHeaders(reply: FastifyReply, path: string): void {
  reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** For a page address the app knows and the server does not: the app's shell. */
export function isPageRequest(request: FastifyRequest): boolean {
  return request.method === 'GET' && !/^\/(api|auth)(\/|$)/.test(request.url) && (request.headers.accept ?? '').includes('text/html');
}

export function sendAppShell(reply: FastifyReply): FastifyReply {
  return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
}
