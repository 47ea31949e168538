// The image recipe and the compose file, checked without a Docker engine: compose.yaml against
// the Compose Specification's JSON schema (vendored by check-jsonschema), the Dockerfile by
// reading it, and its pruning step by running it on a small workspace with the real npm.
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Loose, checkJsonschemaBin, parseYaml, repo, requireTools, run, serviceDirs, tempDir } from './tools.js';

const composeFile = join(repo, 'docker/compose.yaml');
const validateCompose = (file: string) => run(checkJsonschemaBin, ['--builtin-schema', 'vendor.compose-spec', file]);

/** Dockerfile instructions with continuation lines joined; comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

beforeAll(() => requireTools());

describe('docker/compose.yaml', () => {
  let compose: Loose;
  beforeAll(() => {
    compose = parseYaml(readFileSync(composeFile, 'utf8'))[0];
  });

  it('is valid against the Compose Specification JSON schema', () => {
    const result = validateCompose(composeFile);
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('validation done');
  });

  it('would be refused by the same schema check if a key were misspelled', () => {
    const broken = join(tempDir('compose'), 'compose.yaml');
    writeFileSync(broken, readFileSync(composeFile, 'utf8').replace('  mailpit:\n    image:', '  mailpit:\n    imagee:'));
    const result = validateCompose(broken);
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/imagee/);
  });

  it('runs the official images of MongoDB (replica set), Kafka (KRaft), Keycloak (realm imported), SeaweedFS and Mailpit', () => {
    const s = compose.services;
    expect(s.mongo.image).toMatch(/^mongo:\d/);
    expect(s.mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(s.mongo.healthcheck.test.join(' ')).toContain('rs.initiate');
    expect(s.kafka.image).toMatch(/^apache\/kafka:\d/);
    expect(s.kafka.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(s.kafka.environment).not.toHaveProperty('KAFKA_ZOOKEEPER_CONNECT');
    expect(s['kafka-init'].volumes).toContain('../deploy/kafka/topics.txt:/etc/portico/topics.txt:ro');
    expect(s.keycloak.image).toMatch(/^keycloak\/keycloak:\d/);
    expect(s.keycloak.command).toContain('--import-realm');
    expect(s.keycloak.volumes).toContain('../deploy/keycloak/portico-realm.json:/opt/keycloak/data/import/portico-realm.json:ro');
    expect(s.seaweedfs.image).toMatch(/^chrislusf\/seaweedfs:\d/);
    expect(s.mailpit.image).toMatch(/^axllent\/mailpit:v\d/);
    // Files mounted from the repository must exist, or Docker would mount an empty folder.
    for (const file of ['deploy/kafka/topics.txt', 'deploy/keycloak/portico-realm.json']) {
      expect(existsSync(join(repo, file)), file).toBe(true);
    }
  });

  it('pins every image it pulls to a version', () => {
    for (const [name, service] of Object.entries(compose.services as Record<string, Loose>)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it('builds the gateway and every service under services/ from docker/Dockerfile, hardened, with the gateway wired to each', () => {
    const names = ['gateway', ...serviceDirs()];
    const gatewayEnv = compose.services.gateway.environment;
    for (const name of names) {
      const service = compose.services[name];
      expect(service, `compose service ${name}`).toBeDefined();
      expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', args: { SERVICE: name } });
      expect(service).toMatchObject({ read_only: true, cap_drop: ['ALL'], user: '10001:10001' });
      expect(service.security_opt).toContain('no-new-privileges:true');
      // The image `make images` builds and test/images runs, with the image's own CMD (which
      // loads telemetry first): no command or entrypoint of its own.
      expect(service.image).toBe(`portico/${name}:dev`);
      expect(service).not.toHaveProperty('command');
      expect(service).not.toHaveProperty('entrypoint');
      if (name !== 'gateway') {
        expect(gatewayEnv[`${name.toUpperCase().replace(/-/g, '_')}_GRPC_URL`]).toBe(`${name}:50051`);
        expect(service.environment).toMatchObject({ MONGO_URL: expect.stringContaining('replicaSet=rs0'), KAFKA_BROKERS: 'kafka:9092' });
      }
    }
  });
});

describe('docker/Dockerfile', () => {
  const text = readFileSync(join(repo, 'docker/Dockerfile'), 'utf8');
  const steps = instructions(text);
  const stages = steps.filter((s) => s.op === 'FROM');
  const runtime = steps.slice(steps.findLastIndex((s) => s.op === 'FROM'));

  it('is one multi-stage recipe chosen by ARG SERVICE, on the base image named by ARG BASE_IMAGE: the official Node 24 by default', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(steps.filter((s) => s.op === 'ARG').map((s) => s.args)).toEqual(expect.arrayContaining(['SERVICE']));
    expect(stages[0]?.args).toBe('${BASE_IMAGE} AS base');
    // Every other stage starts from that base or from another stage: one switch for both bases.
    // The runtime alone starts from scratch, with a copy of a stage made from the base.
    const names = stages.map((s) => /AS (\S+)$/.exec(s.args)?.[1]);
    for (const stage of stages.slice(1, -1)) expect(names).toContain(stage.args.split(/\s+/)[0]);
    expect(stages.at(-1)?.args).toBe('scratch AS runtime');
    const runtimeRoot = steps.slice(steps.indexOf(stages.at(-1)!)).find((s) => s.op === 'COPY')?.args;
    expect(runtimeRoot).toMatch(/^--from=(\S+) \/ \/$/);
    expect(names).toContain(/^--from=(\S+)/.exec(runtimeRoot!)![1]);
    const nodeVersion = /ARG BASE_IMAGE=node:(\d+\.\d+\.\d+)-\w+-slim$/m.exec(text)?.[1];
    expect(nodeVersion).toMatch(/^24\.\d+\.\d+$/);
    expect(readFileSync(join(repo, '.nvmrc'), 'utf8').trim()).toBe(nodeVersion!.split('.')[0]);
    // The registry-free base carries the same Node release as the official one.
    expect(readFileSync(join(repo, 'deploy/images/env.sh'), 'utf8')).toContain(`PORTICO_NODE_VERSION=${nodeVersion}`);
    expect(steps.some((s) => s.op === 'ADD')).toBe(false);
  });

  it('keeps production dependencies only in the final stage, owned by root and run by a non-root user', () => {
    const prune = readFileSync(join(repo, 'docker/prune-workspace.sh'), 'utf8');
    expect(prune).toMatch(/npm ci --omit=dev --workspace "\$workspace_name"/);
    // A CA bundle for the registry comes as a build secret, never as a file in a layer.
    expect(text).not.toMatch(/^COPY .*ca-certificates/m);
    expect(runtime.filter((s) => s.op === 'COPY').map((s) => s.args)).toEqual([
      '--from=node / /',
      '--from=deps --chown=root:root /app /app',
      '--from=code --chown=root:root /code/ /app/',
    ]);
    const users = runtime.filter((s) => s.op === 'USER');
    expect(users.map((s) => s.args)).toEqual(['10001:10001']);
    // Nothing runs as root after the switch.
    expect(runtime.slice(runtime.findIndex((s) => s.op === 'USER')).some((s) => s.op === 'RUN')).toBe(false);
    // Telemetry is loaded before any other module, or there would be no traces and no /metrics.
    expect(runtime.find((s) => s.op === 'CMD')?.args).toBe('["node", "--import", "@portico/kit/telemetry/register", "dist/main.js"]');
    expect(runtime.some((s) => s.op === 'HEALTHCHECK')).toBe(true);
  });

  it('keeps local installs, build outputs and repository internals out of the build context', () => {
    const ignored = readFileSync(join(repo, 'docker/Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '.git', '.local', '.env']) expect(ignored).toContain(pattern);
  });

  it('prunes a built workspace down to the chosen deployable, its workspace libraries and its production dependencies', () => {
    const ws = tempDir('prune');
    const write = (file: string, content: string) => {
      mkdirSync(dirname(join(ws, file)), { recursive: true });
      writeFileSync(join(ws, file), content);
    };
    const pkg = (name: string, deps: Record<string, string> = {}) =>
      JSON.stringify({ name, version: '0.1.0', type: 'module', main: 'dist/main.js', dependencies: deps });
    write(
      'package.json',
      JSON.stringify({ name: 'portico', private: true, workspaces: ['packages/kit', 'packages/testing', 'services/*', 'gateway'] }),
    );
    write('packages/kit/package.json', pkg('@portico/kit'));
    write('packages/testing/package.json', pkg('@portico/testing', { '@portico/kit': '0.1.0' }));
    write('services/contacts/package.json', pkg('@portico/contacts-service', { '@portico/kit': '0.1.0' }));
    write('services/billing/package.json', pkg('@portico/billing-service'));
    write('gateway/package.json', pkg('@portico/gateway', { '@portico/kit': '0.1.0' }));
    // The npm of the Node running the tests, as in the image.
    const env = `PATH="${dirname(process.execPath)}:$PATH"`;
    const lock = run('sh', ['-c', `cd "${ws}" && ${env} npm install --package-lock-only --no-audit --no-fund --offline`]);
    expect(lock.status, lock.stderr).toBe(0);
    const script = join(repo, 'docker/prune-workspace.sh');
    const prune = (step: string, name: string) => run('sh', ['-c', `cd "${ws}" && ${env} sh "${script}" ${step} ${name}`]);

    const missing = prune('deps', 'nosuch');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('no deployable at services/nosuch');
    // First step, on the manifests only: the install, and away with what contacts does not use.
    const installed = prune('deps', 'contacts');
    expect(installed.status, installed.stderr).toBe(0);
    expect(lstatSync(join(ws, 'current')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(ws, 'current'))).toBe('services/contacts');
    for (const gone of ['services/billing', 'gateway', 'packages/testing']) expect(existsSync(join(ws, gone)), gone).toBe(false);
    expect(prune('code', 'contacts /code').stderr).toContain('no built deployable at services/contacts');

    // Second step, once the build's dist folders are in: the code of what is left, tests excluded.
    write('packages/kit/dist/main.js', 'export const kit = "kit";\n');
    write('services/contacts/dist/main.js', 'import { kit } from "@portico/kit"; console.log("contacts uses " + kit);\n');
    write('services/contacts/dist/main.test.js', '');
    const out = tempDir('prune-code');
    const code = prune('code', `contacts "${out}"`);
    expect(code.status, code.stderr).toBe(0);
    expect(existsSync(join(out, 'services/contacts/dist/main.js'))).toBe(true);
    expect(existsSync(join(out, 'packages/kit/dist/main.js'))).toBe(true);
    expect(existsSync(join(out, 'services/contacts/dist/main.test.js'))).toBe(false);
    const started = run('sh', ['-c', `cd "${ws}/current" && "${process.execPath}" dist/main.js`]);
    expect(started.stdout.trim(), started.stderr).toBe('contacts uses kit');
  });
});
