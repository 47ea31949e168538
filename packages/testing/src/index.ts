export { env, repoRoot } from './environment.js';
export { createUser, deleteUser, passwordGrant, shortLivedClient, adminAccessToken, browserLoginClient, withTokens } from './keycloak.js';
export type { Person } from './keycloak.js';
export type { TestUser } from './keycloak.js';
export { recordTopics, waitUntil, testKafka, topicEnd, groupCaughtUp } from './kafka.js';
export type { TopicRecord } from './kafka.js';
export {
  startPlatform,
  startTestService,
  serviceDescriptor,
  serviceNames,
  baseEnvironment,
  serviceEnvironment,
  backendAddresses,
  freePort,
} from './platform.js';
export type { RunningPlatform, PlatformOptions } from './platform.js';
export { spawnService, serviceNodeArgs, infra, cpuSecondsOf } from './processes.js';
export { dropDatabases } from './databases.js';
export type { ServiceProcess } from './processes.js';
export { BrowserSession, CookieJar } from './browser-session.js';
export { waitForEmails, emailPart } from './mailpit.js';
export type { MailpitMessage, MailpitPart, MailpitAddress } from './mailpit.js';
export {
  keycloakUser,
  keycloakUserByUsername,
  realmRolesOf,
  credentialsOf,
  clearRequiredActions,
  deleteKeycloakUser,
  tokenClaim,
} from './keycloak-users.js';
export type { KeycloakUserRepresentation } from './keycloak-users.js';
export { failure, violationsOf } from './grpc-errors.js';
export { callAs } from './people.js';
export { samplePdf, sampleJpeg, samplePng, sampleDocx, sampleZip, sampleExecutable, sampleHtml, sampleHeic } from './sample-files.js';
export { wallClock } from './clinic-time.js';
