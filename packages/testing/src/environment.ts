// Where the real servers are: the variables of deploy/infra/env.sh, with its defaults.
export const env = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  mongoUrl: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
  keycloakUrl: process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180',
  realm: process.env.KEYCLOAK_REALM ?? 'portico',
  adminUser: process.env.KEYCLOAK_ADMIN_USER ?? 'admin',
  adminPassword: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'portico-dev-admin',
  audience: process.env.OIDC_AUDIENCE ?? 'portico-api',
  get issuer() {
    return process.env.OIDC_ISSUER ?? `${this.keycloakUrl}/realms/${this.realm}`;
  },
};

/** The repository root, for scripts and built entry points. */
export const repoRoot = new URL('../../../', import.meta.url).pathname;
