// The metadata that carries the caller's identity and the request's origin to a service.
import { forwardedMetadata } from '@portico/kit/grpc';
import type { FastifyRequest } from 'fastify';

export const callMetadata = (request: FastifyRequest) =>
  forwardedMetadata(request.accessToken!, { 'x-request-id': request.id, 'x-forwarded-for': request.ip });
