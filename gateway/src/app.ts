// Builds the gateway's HTTP application: security headers, rate limiting, request ids, the
// OpenAPI document, authentication, the API routes, health, and errors as problem+json.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TokenVerifier } from '@portico/kit/identity';
import type { Logger } from '@portico/kit/logging';
import { trace } from '@portico/kit/telemetry';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { GatewayConfig } from './config.js';
import type { HealthCheck, ServiceClients } from './backends.js';
import { requireAuthentication, type SessionCookie } from './http/authentication.js';
import { problemFromGrpc, problems, sendProblem } from './http/problem.js';
import { Problem, problemResponses, RequestProblem } from './http/schemas.js';
import { buildSerializer } from './http/serializers.js';
import { appointmentRoutes, appointmentSchemas, calendarFeedRoute, staffAppointmentRoutes } from './routes/appointments.js';
import { billingRoutes, billingSchemas, staffBillingRoutes } from './routes/billing.js';
import { estimateRoutes, estimateSchemas, staffEstimateRoutes } from './routes/billing-estimates.js';
import { paymentPlanRoutes, paymentPlanSchemas, staffPaymentPlanRoutes } from './routes/billing-payment-plans.js';
import { auditRoutes, auditSchemas, staffAuditRoutes } from './routes/audit.js';
import { healthRoutes } from './routes/health.js';
import { insuranceRoutes, insuranceSchemas, MAX_CARD_PHOTO_BYTES, staffInsuranceRoutes } from './routes/insurance.js';
import { contactRoutes, contactSchemas } from './routes/contacts.js';
import { documentRoutes, documentSchemas, staffDocumentRoutes } from './routes/documents.js';
import { screeningRoutes, screeningSchemas, staffScreeningRoutes } from './routes/screenings.js';
import { connectConsents, consentRoutes, consentSchemas, staffConsentRoutes } from './routes/documents-consents.js';
import { formRoutes, formSchemas, staffFormRoutes } from './routes/documents-forms.js';
import { loginRoutes } from './routes/login.js';
import { Me, meRoutes } from './routes/me.js';
import { notificationRoutes, notificationSchemas, staffNotificationRoutes } from './routes/notifications.js';
import { organisationCache, organisationRoutes, OrganisationView } from './routes/organisation.js';
import { staffRoutes, staffSchemas } from './routes/staff.js';
import { isPageRequest, sendAppShell, webApp } from './routes/web-app.js';
import type { OidcClient } from './session/oidc.js';
import type { Sealer } from './session/sealing.js';
import type { SessionStore } from './session/session-store.js';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  verify: TokenVerifier;
  clients: ServiceClients;
  /** What the gateway itself needs to serve (its session database): these decide readiness. */
  readiness: HealthCheck[];
  /** The services behind it: reported by /readyz, each one's outage confined to its own routes. */
  serviceHealth: HealthCheck[];
  sessions: SessionStore;
  oidc: OidcClient;
  sealer: Sealer;
  cookie: SessionCookie;
  /** Told of every completed browser login. */
  onLogin?: (accessToken: string) => Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/**
 * What the log says of a URL that matched no route: its first segment only, since the rest may
 * be a patient id or a secret (a calendar feed address mistyped: /calendar/<token> without .ics).
 */
function unmatchedRoute(url: string): string {
  const path = url.split('?')[0]!;
  const first = /^\/[^/]*/.exec(path)?.[0] ?? '/';
  return path.length > first.length ? `${first}/…` : first;
}
/** Not logged in (401), a CSRF token missing (403), too many requests, a service down or slow. */
const API_PROBLEMS = problemResponses(401, 403, 429, 500, 503, 504);

export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Fastify's own request lines carry the full URL, query included (/auth/callback?code=…): the
    // gateway logs its own line instead, below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Keep a caller's request id when it is sane, so one id follows a request end to end.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false } },
    schemaController: { compilersFactory: { buildSerializer } },
  });

  // The API speaks JSON only: a text body is refused (415) rather than parsed as a string.
  app.removeContentTypeParser('text/plain');

  // One line per request: the route's pattern rather than its URL, so neither patient ids, query
  // strings (an authorization code) nor calendar feed addresses reach the logs.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? unmatchedRoute(request.url),
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // A calendar feed's address is its credential: the request's trace span names the route, as
    // the log line does, not the address (the HTTP instrumentation records the path it saw).
    if (request.url.startsWith('/calendar/'))
      trace.getActiveSpan()?.setAttribute('url.path', request.routeOptions.url ?? unmatchedRoute(request.url));
  });

  await app.register(cookie);
  // Card photos (the insurance routes): read part by part, a photo stopped at 10 MB.
  await app.register(multipart, { limits: { fileSize: MAX_CARD_PHOTO_BYTES, files: 2, fields: 1, parts: 3, fieldSize: 64 * 1024 } });
  // Helmet's middleware built once: @fastify/helmet built it again on every request, parsing the
  // content security policy each time (a few per cent of the gateway's work under load).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      // blob: shows a photo chosen in the browser (an insurance card) before it is uploaded.
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => ({
      ...problems.tooManyRequests(`Retry after ${Math.ceil(context.ttl / 1000)} s.`),
      statusCode: 429,
    }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Portico API',
        version: '1.0.0',
        description: 'The patient and guardian portal API. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  for (const schema of [
    Problem,
    Me,
    OrganisationView,
    ...contactSchemas,
    ...staffSchemas,
    ...auditSchemas,
    ...appointmentSchemas,
    ...billingSchemas,
    ...estimateSchemas,
    ...paymentPlanSchemas,
    ...notificationSchemas,
    ...insuranceSchemas,
    ...documentSchemas,
    ...screeningSchemas,
    ...consentSchemas,
    ...formSchemas,
  ])
    app.addSchema(schema);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const fromService = problemFromGrpc(error);
    if (fromService) {
      if (fromService.status >= 500) request.log.warn({ grpcCode: (error as unknown as { code?: number }).code }, 'service call failed');
      return sendProblem(reply, fromService);
    }
    if (error instanceof RequestProblem) return sendProblem(reply, problems.invalidRequest(error.detail, error.errors));
    if (error.validation) {
      const errors = error.validation.map((v) => ({
        field: [
          error.validationContext,
          v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
          (v.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ??
            (v.params as { missingProperty?: string }).missingProperty,
        ]
          .filter(Boolean)
          .join('.'),
        message: (v.params as { additionalProperty?: string }).additionalProperty ? 'is not a known field' : (v.message ?? 'is not valid'),
      }));
      return sendProblem(reply, problems.invalidRequest('Some fields are missing or not valid.', errors));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, problems.tooLarge(`The limit is ${config.BODY_LIMIT_BYTES} bytes.`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, problems.unsupportedMediaType());
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, problems.invalidRequest('The body is not valid JSON.'));
    }
    if (error.statusCode === 429) return sendProblem(reply, problems.tooManyRequests(error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return sendProblem(reply, problems.invalidRequest(error.message));
    request.log.error({ err: { name: error.name, code: error.code } }, 'unexpected error');
    return sendProblem(reply, problems.internal());
  });
  app.setNotFoundHandler((request, reply) =>
    config.WEB_ROOT && isPageRequest(request) ? sendAppShell(reply) : sendProblem(reply, problems.notFound('No such route.')),
  );

  healthRoutes(app, deps.readiness, deps.serviceHealth);
  // ConsentsService is served by the documents service, at its address.
  const consents = connectConsents(config.DOCUMENTS_GRPC_URL, config.GRPC_TIMEOUT_MS);
  app.addHook('onClose', async () => consents.close());
  // For calendar programs, which hold the feed's secret address and nothing else: outside the
  // authenticated API, rate limited like everything else.
  calendarFeedRoute(app, deps.clients.appointments);
  loginRoutes(app, {
    oidc: deps.oidc,
    sessions: deps.sessions,
    sealer: deps.sealer,
    verify: deps.verify,
    cookie: deps.cookie,
    publicUrl: config.PUBLIC_URL,
    absoluteSeconds: config.SESSION_ABSOLUTE_SECONDS,
    ...(deps.onLogin ? { onLogin: deps.onLogin } : {}),
  });
  await app.register(async (api) => {
    // Before the body is read or validated: a caller who is not authenticated learns nothing of
    // the API's schemas (401, not a 400 describing the body). Rate limiting runs earlier still.
    const authenticate = requireAuthentication({ verify: deps.verify, sessions: deps.sessions, oidc: deps.oidc, cookie: deps.cookie });
    api.addHook('preParsing', async (request, reply, payload) => {
      await authenticate(request, reply);
      return payload;
    });
    // What any API route can answer besides its own outcomes, so the document lists every response.
    api.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, response: { ...API_PROBLEMS, ...(route.schema?.response as object | undefined) } };
    });
    meRoutes(api, deps.sessions, deps.clients.auth);
    // The staff pages' changes to the profile refresh what Home is answered from.
    const organisations = organisationCache(config.ORGANISATION_CACHE_SECONDS);
    organisationRoutes(api, deps.clients.auth, deps.clients.documents, organisations);
    contactRoutes(api, deps.clients.contacts);
    auditRoutes(api, deps.clients.audit);
    appointmentRoutes(api, deps.clients.appointments, config.PUBLIC_URL);
    notificationRoutes(api, deps.clients.notifications);
    insuranceRoutes(api, deps.clients.insurance);
    documentRoutes(api, deps.clients.documents);
    screeningRoutes(api, deps.clients.documents);
    consentRoutes(api, consents);
    formRoutes(api, deps.clients.forms);
    billingRoutes(api, deps.clients.billing);
    estimateRoutes(api, deps.clients.estimates);
    paymentPlanRoutes(api, deps.clients.paymentPlans);
    await api.register(async (staff) => {
      staffRoutes(staff, deps.clients.auth, deps.clients.documents, organisations);
      staffAuditRoutes(staff, deps.clients.audit);
      staffAppointmentRoutes(staff, deps.clients.appointments);
      staffNotificationRoutes(staff, deps.clients.notifications);
      staffInsuranceRoutes(staff, deps.clients.insurance, deps.clients.auth);
      staffDocumentRoutes(staff, deps.clients.documents);
      staffScreeningRoutes(staff, deps.clients.documents);
      staffConsentRoutes(staff, consents);
      staffFormRoutes(staff, deps.clients.forms);
      staffBillingRoutes(staff, deps.clients.billing);
      staffEstimateRoutes(staff, deps.clients.estimates);
      staffPaymentPlanRoutes(staff, deps.clients.paymentPlans);
    });
  });
  if (config.WEB_ROOT) await webApp(app, config.WEB_ROOT);
  return app;
}
