export { env, repoRoot } from './environment.js';
export { createUser, deleteUser, passwordGrant, shortLivedClient, adminAccessToken } from './keycloak.js';
export type { TestUser } from './keycloak.js';
export { recordTopics, waitUntil, testKafka } from './kafka.js';
export type { TopicRecord } from './kafka.js';
export { startPlatform, baseEnvironment } from './platform.js';
export type { RunningPlatform } from './platform.js';
export { spawnService, infra } from './processes.js';
export type { ServiceProcess } from './processes.js';
