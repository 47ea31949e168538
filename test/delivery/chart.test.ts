// The Helm chart as an operator meets it: it lints, every environment and scenario renders
// objects Kubernetes accepts (strict schemas), pods are hardened, traffic is denied unless a
// rule allows it, a misspelled value is refused, and every deployable of the repo is in it.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KUBE_VERSION,
  type K8sObject,
  type Loose,
  byKind,
  chartDir,
  find,
  helmBin,
  helmTemplate,
  kubernetesValidateBin,
  parseYaml,
  render,
  repo,
  requireTools,
  run,
  serviceDirs,
  tempDir,
  tempValues,
  valuesFiles,
} from './tools.js';

/** Services that call another besides the auth service: billing reads the member id of a superbill from insurance. */
const SERVICE_CALLS: Record<string, string[]> = { billing: ['insurance'], documents: ['contacts'] };

const ALL_ON = 'charts/portico/ci/all-on-values.yaml';
const ALL_OFF = 'charts/portico/ci/all-off-values.yaml';
const ONE_DISABLED = 'charts/portico/ci/one-service-disabled-values.yaml';
const SECRET_ENV = /^(MONGO_URL|SMTP_URL|S3_ACCESS_KEY|S3_SECRET_KEY|.*_SECRET)$/;

const rendered = new Map<string, K8sObject[]>();
function rendering(file: string): K8sObject[] {
  if (!rendered.has(file)) rendered.set(file, render(file ? [file] : []));
  return rendered.get(file)!;
}

const chartValues = (): Loose => parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8'))[0];
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Values as Helm coalesces them: maps merge, anything else (lists included) is replaced. */
function coalesce(base: Loose, override: Loose): Loose {
  if (!isMap(base) || !isMap(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = coalesce(base[key], value);
  return merged;
}
const podSpec = (o: K8sObject): Loose => o.spec.template.spec;
const component = (o: K8sObject): string => o.metadata.labels?.['app.kubernetes.io/component'] ?? '';
const isGateway = (d: K8sObject): boolean => component(d) === 'gateway';

beforeAll(() => requireTools());

describe('the Helm chart charts/portico', () => {
  it('passes helm lint --strict with its defaults and with every values file', () => {
    for (const file of ['', ...valuesFiles()]) {
      const args = ['lint', '--strict', chartDir, '--kube-version', KUBE_VERSION, ...(file ? ['--values', file] : [])];
      const result = run(helmBin, args);
      expect(result.status, `helm lint ${file}\n${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('0 chart(s) failed');
    }
  });

  describe.each(valuesFiles())('rendered with %s', (file) => {
    it(`gives only objects valid against the Kubernetes ${KUBE_VERSION} JSON schemas (strict)`, () => {
      const objects = rendering(file);
      expect(objects.length).toBeGreaterThan(0);
      // ServiceMonitor is a CRD: no schema ships with Kubernetes; it is checked further down.
      const builtIn = objects.filter((o) => !o.apiVersion.startsWith('monitoring.coreos.com/'));
      const manifest = join(tempDir('validate'), 'manifest.yaml');
      writeFileSync(manifest, builtIn.map((o) => JSON.stringify(o)).join('\n---\n'));
      const result = run(kubernetesValidateBin, ['--kubernetes-version', KUBE_VERSION, '--strict', '--quiet', manifest]);
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
      for (const monitor of byKind(objects, 'ServiceMonitor')) {
        const service = find(objects, 'Service', monitor.metadata.name);
        expect(monitor.spec.selector.matchLabels).toEqual(
          Object.fromEntries(Object.entries(service.spec.selector as Record<string, string>)),
        );
        expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
      }
    });

    it('runs every pod non-root, with a read-only root filesystem, no capabilities and seccomp RuntimeDefault', () => {
      const workloads = rendering(file).filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
      expect(workloads.length).toBeGreaterThan(0);
      for (const workload of workloads) {
        const pod = podSpec(workload);
        const where = `${workload.kind}/${workload.metadata.name}`;
        expect(pod.securityContext, where).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.securityContext.runAsUser, where).toBeGreaterThanOrEqual(10000);
        expect(pod.automountServiceAccountToken, where).toBe(false);
        for (const container of pod.containers) {
          expect(container.securityContext, where).toMatchObject({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          });
          for (const kind of ['requests', 'limits']) {
            expect(container.resources?.[kind], `${where} resources.${kind}`).toMatchObject({
              cpu: expect.anything(),
              memory: expect.anything(),
            });
          }
        }
      }
    });

    it('probes domain services with native gRPC probes and the gateway with HTTP probes', () => {
      for (const deployment of byKind(rendering(file), 'Deployment')) {
        const [container] = podSpec(deployment).containers;
        const where = deployment.metadata.name;
        if (isGateway(deployment)) {
          expect(container.livenessProbe.httpGet, where).toEqual({ path: '/healthz', port: 'http' });
          expect(container.readinessProbe.httpGet, where).toEqual({ path: '/readyz', port: 'http' });
        } else {
          const grpcPort = container.ports.find((p: Loose) => p.name === 'grpc').containerPort;
          for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
            expect(container[probe].grpc, `${where} ${probe}`).toEqual({ port: grpcPort });
          }
        }
      }
    });

    it('reads secrets only from existing Secrets and never renders one', () => {
      const objects = rendering(file);
      expect(byKind(objects, 'Secret')).toEqual([]);
      for (const configMap of byKind(objects, 'ConfigMap')) {
        expect(Object.keys(configMap.data ?? {}).filter((k) => SECRET_ENV.test(k))).toEqual([]);
      }
      for (const deployment of byKind(objects, 'Deployment')) {
        const [container] = podSpec(deployment).containers;
        for (const variable of container.env ?? []) {
          expect(variable.value, `${deployment.metadata.name} ${variable.name}`).toBeUndefined();
          expect(variable.valueFrom.secretKeyRef).toMatchObject({ name: expect.any(String), key: variable.name });
        }
      }
    });
  });

  it('has a values entry and a rendered Deployment for the gateway and every service under services/', () => {
    const names = ['gateway', ...serviceDirs()];
    expect(names).toContain('contacts');
    const services = chartValues().services;
    const deployments = byKind(rendering(''), 'Deployment').map((d) => d.metadata.name);
    const gatewayConfig = find(rendering(''), 'ConfigMap', 'portico-gateway').data!;
    for (const name of names) {
      expect(services[name], `services.${name} in charts/portico/values.yaml`).toMatchObject({ enabled: true });
      expect(deployments).toContain(`portico-${name}`);
      if (name !== 'gateway') {
        expect(gatewayConfig[`${name.toUpperCase().replace(/-/g, '_')}_GRPC_URL`]).toBe(`portico-${name}:50051`);
      }
    }
    // Services to come are one entry each and install when switched on (the all-on scenario).
    const allOn = byKind(rendering(ALL_ON), 'Deployment').map((d) => d.metadata.name);
    for (const name of Object.keys(services)) expect(allOn).toContain(`portico-${name}`);
  });

  it.each([
    ['a misspelled top-level key', 'ingres:\n  enabled: false\n', 'ingres'],
    ['a misspelled service setting', 'services:\n  contacts:\n    replcas: 3\n', 'replcas'],
    ['a misspelled nested default', 'serviceDefaults:\n  autoscaling:\n    maxReplica: 3\n', 'maxReplica'],
  ])('refuses %s with a schema error naming it', (_what, values, key) => {
    const result = helmTemplate([tempValues(values)]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toMatch(new RegExp(`additional properties '${key}' not allowed`));
  });

  it('refuses a value of the wrong kind', () => {
    const result = helmTemplate([tempValues('services:\n  contacts:\n    role: worker\n    replicas: two\n')]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/\/services\/contacts\/role/);
    expect(result.stderr).toMatch(/\/services\/contacts\/replicas/);
  });

  describe('NetworkPolicy (all features on)', () => {
    let objects: K8sObject[];
    let policies: K8sObject[];
    let values: Loose;
    beforeAll(() => {
      objects = rendering(ALL_ON);
      policies = byKind(objects, 'NetworkPolicy');
      values = coalesce(chartValues(), parseYaml(readFileSync(join(repo, ALL_ON), 'utf8'))[0]);
    });
    const policyFor = (name: string): K8sObject => find(policies, 'NetworkPolicy', `portico-${name}`);
    const ports = (rules: Loose[]): number[] =>
      rules
        .flatMap((r) => r.ports.map((p: Loose) => p.port))
        .filter((p) => p !== 53)
        .sort();

    it('denies all ingress and egress to every pod of the release unless another policy allows it', () => {
      const deny = find(policies, 'NetworkPolicy', 'portico-default-deny');
      expect(deny.spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'portico', 'app.kubernetes.io/instance': 'portico' } },
        policyTypes: ['Ingress', 'Egress'],
      });
      for (const workload of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
        const labels = workload.spec.template.metadata.labels;
        expect(labels).toMatchObject(deny.spec.podSelector.matchLabels);
        const own = policies.filter((p) => p !== deny && Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v));
        expect(own, `${workload.metadata.name} has its own policy`).toHaveLength(1);
        expect(own[0]?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      }
    });

    it('lets only the gateway call a service (and the other services the auth service, billing the insurance service, documents the contacts service), only on its gRPC port', () => {
      const services = byKind(objects, 'Deployment').filter((d) => !isGateway(d));
      for (const deployment of services) {
        const ingress = policyFor(component(deployment)).spec.ingress;
        const fromPods = ingress.filter((r: Loose) => r.ports.some((p: Loose) => p.port === 'grpc'));
        // Every other service's patient directory looks patients up at the auth service.
        const callers = [
          'gateway',
          ...(component(deployment) === 'auth' ? services.map(component).filter((c) => c !== 'auth') : []),
          ...Object.entries(SERVICE_CALLS)
            .filter(([, called]) => called.includes(component(deployment)))
            .map(([caller]) => caller),
        ];
        expect(fromPods).toEqual([
          {
            from: callers.map((caller) => ({
              podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': caller }) },
            })),
            ports: [{ port: 'grpc', protocol: 'TCP' }],
          },
        ]);
        if (component(deployment) !== 'auth') {
          const reached = policyFor(component(deployment))
            .spec.egress.flatMap((r: Loose) => r.to ?? [])
            .map((peer: Loose) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'])
            .filter(Boolean);
          expect(reached).toEqual(['auth', ...(SERVICE_CALLS[component(deployment)] ?? [])]);
          expect(find(objects, 'ConfigMap', `portico-${component(deployment)}`).data.AUTH_GRPC_URL).toBe('portico-auth:50051');
        }
        // The only other door is the metrics port, for the monitoring namespace.
        const others = ingress.filter((r: Loose) => !fromPods.includes(r));
        expect(others).toEqual([{ from: values.networkPolicy.metricsFrom, ports: [{ port: 'metrics', protocol: 'TCP' }] }]);
      }
    });

    it('lets the gateway reach exactly the enabled services, and be reached from the ingress controller only', () => {
      const policy = policyFor('gateway');
      const services = byKind(objects, 'Deployment')
        .filter((d) => !isGateway(d))
        .map(component)
        .sort();
      const reached = policy.spec.egress
        .flatMap((r: Loose) => r.to ?? [])
        .map((peer: Loose) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'])
        .filter(Boolean)
        .sort();
      expect(reached).toEqual(services);
      expect(policy.spec.ingress[0]).toEqual({
        from: values.networkPolicy.ingressController.from,
        ports: [{ port: 'http', protocol: 'TCP' }],
      });
    });

    it('lets each service reach DNS and its own infrastructure, nothing else', () => {
      for (const [name, entry] of Object.entries(values.services as Record<string, Loose>)) {
        const infrastructure: string[] = entry.infrastructure;
        const egress = policyFor(name).spec.egress;
        expect(egress[0].ports.map((p: Loose) => p.port)).toEqual([53, 53]);
        const expected = [...infrastructure, 'telemetry']
          .flatMap((infra) => values[infra].networkPolicy.ports.map((p: Loose) => p.port))
          .sort();
        // The gateway reaches every service; every other service but auth reaches auth (its patient look-up).
        const grpcPeers =
          name === 'gateway' ? byKind(objects, 'Deployment').length - 1 : name === 'auth' ? 0 : 1 + (SERVICE_CALLS[name]?.length ?? 0);
        const servicePorts = ports(egress);
        expect(servicePorts.filter((p) => p !== 50051)).toEqual(expected.filter((p: number) => p !== 50051));
        expect(servicePorts.filter((p) => p === 50051)).toHaveLength(grpcPeers);
        for (const infra of infrastructure) {
          const rule = egress.find((r: Loose) => JSON.stringify(r.ports) === JSON.stringify(values[infra].networkPolicy.ports));
          expect(rule?.to, `${name} → ${infra}`).toEqual(values[infra].networkPolicy.to);
        }
      }
    });
  });

  it('leaves no object or route of a disabled service behind', () => {
    const objects = rendering(ONE_DISABLED);
    expect(objects.filter((o) => o.metadata.name === 'portico-contacts')).toEqual([]);
    expect(find(objects, 'ConfigMap', 'portico-gateway').data).not.toHaveProperty('CONTACTS_GRPC_URL');
    const egress = JSON.stringify(find(objects, 'NetworkPolicy', 'portico-gateway').spec.egress);
    expect(egress).not.toContain('contacts');
  });

  it('renders no optional object when every feature is off, and fixed replica counts instead of autoscaling', () => {
    const objects = rendering(ALL_OFF);
    for (const kind of ['NetworkPolicy', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor', 'Job']) {
      expect(byKind(objects, kind), kind).toEqual([]);
    }
    expect(objects.find((o) => o.metadata.name === 'portico-keycloak-realm')).toBeUndefined();
    for (const deployment of byKind(objects, 'Deployment')) {
      expect(deployment.spec.replicas).toBe(1);
      expect(podSpec(deployment).topologySpreadConstraints).toBeUndefined();
    }
  });

  it('scales with an HPA and keeps a PDB and zone/host spread for every service when they are on', () => {
    const objects = rendering('deploy/values/production.yaml');
    for (const deployment of byKind(objects, 'Deployment')) {
      const name = deployment.metadata.name;
      expect(deployment.spec.replicas, `${name}: the HPA owns replicas`).toBeUndefined();
      expect(find(objects, 'HorizontalPodAutoscaler', name).spec).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name },
        minReplicas: 3,
      });
      expect(find(objects, 'PodDisruptionBudget', name).spec.selector).toEqual(deployment.spec.selector);
      const keys = podSpec(deployment).topologySpreadConstraints.map((c: Loose) => c.topologyKey);
      expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    }
  });

  it('serves only the gateway through an Ingress, over TLS for its host', () => {
    const objects = rendering('deploy/values/production.yaml');
    const ingresses = byKind(objects, 'Ingress');
    expect(ingresses).toHaveLength(1);
    const ingress = ingresses[0]!;
    const host = 'portal.portico.test';
    expect(ingress.spec.tls).toEqual([{ hosts: [host], secretName: 'portico-tls' }]);
    expect(ingress.spec.rules).toEqual([
      {
        host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'portico-gateway', port: { name: 'http' } } } }],
        },
      },
    ]);
    expect(find(objects, 'ConfigMap', 'portico-gateway').data).toMatchObject({ TRUST_PROXY: 'true', HTTP_HOST: '0.0.0.0' });
  });

  it('pulls images by digest when one is set', () => {
    for (const deployment of byKind(rendering(ALL_ON), 'Deployment')) {
      expect(podSpec(deployment).containers[0].image).toMatch(new RegExp(`^portico/${component(deployment)}@sha256:[0-9a-f]{64}$`));
    }
  });

  it('restarts a service when its configuration changes (checksum on the pod template)', () => {
    const checksum = (objects: K8sObject[]): string =>
      find(objects, 'Deployment', 'portico-contacts').spec.template.metadata.annotations['checksum/config'];
    const before = checksum(rendering(''));
    expect(checksum(render([], ['--set', 'logLevel=debug']))).not.toBe(before);
    expect(checksum(render([], ['--set', 'services.gateway.replicas=5']))).toBe(before);
  });

  it('creates every Kafka topic and its dead-letter topic in a pre-install and pre-upgrade Job', () => {
    const objects = render([
      tempValues(
        "kafka:\n  topics:\n    - { name: portico.a.v1, partitions: 6, config: { retention.ms: '604800000' } }\n    - { name: portico.b.v1, partitions: 1 }\n",
      ),
    ]);
    const job = find(objects, 'Job', 'portico-kafka-topics');
    expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    const [container] = podSpec(job).containers;
    expect(container.command).toEqual(['/bin/sh', '-ec']);
    // Run the Job's script with a stand-in for kafka-topics.sh that records its arguments.
    const dir = tempDir('topics');
    const stub = join(dir, 'kafka-topics.sh');
    writeFileSync(stub, `#!/bin/sh\necho "$*" >> "${dir}/calls"\n`, { mode: 0o755 });
    const script = (container.args[0] as string).replaceAll('/opt/kafka/bin/kafka-topics.sh', stub);
    const env = Object.fromEntries(container.env.map((e: Loose) => [e.name, e.value]));
    const result = run('env', [`KAFKA_BROKERS=${env.KAFKA_BROKERS}`, `REPLICATION_FACTOR=${env.REPLICATION_FACTOR}`, 'sh', '-ec', script]);
    expect(result.status, result.stderr).toBe(0);
    const common = `--bootstrap-server kafka-bootstrap.kafka.svc:9092 --create --if-not-exists`;
    expect(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual([
      `${common} --topic portico.a.v1 --partitions 6 --replication-factor 3 --config retention.ms=604800000`,
      `${common} --topic portico.a.v1.dlq --partitions 1 --replication-factor 3`,
      `${common} --topic portico.b.v1 --partitions 1 --replication-factor 3`,
      `${common} --topic portico.b.v1.dlq --partitions 1 --replication-factor 3`,
    ]);
  });

  it('keeps kafka.topics in step with deploy/kafka/topics.txt', () => {
    const file = join(repo, 'deploy/kafka/topics.txt');
    if (!existsSync(file)) return;
    const { topics, deadLetter } = chartValues().kafka;
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [name = '', ...pairs] = l.split(/\s+/);
        const settings = Object.fromEntries(pairs.map((p) => p.split('=', 2) as [string, string]));
        const { partitions = '1', replication: _replication, ...config } = settings;
        return { name, partitions: Number(partitions), config };
      });
    const main = lines.filter((t) => !t.name.endsWith(deadLetter.suffix));
    expect(topics.map((t: Loose) => ({ name: t.name, partitions: t.partitions, config: t.config ?? {} }))).toEqual(main);
    const dlq = lines.filter((t) => t.name.endsWith(deadLetter.suffix));
    expect(dlq.map((t) => t.name)).toEqual(main.map((t) => `${t.name}${deadLetter.suffix}`));
    for (const t of dlq) expect(t.partitions).toBe(deadLetter.partitions);
  });

  it('ships the Keycloak realm for import, identical to deploy/keycloak/portico-realm.json', () => {
    const copy = readFileSync(join(chartDir, 'files/portico-realm.json'), 'utf8');
    const source = join(repo, 'deploy/keycloak/portico-realm.json');
    if (existsSync(source)) {
      expect(copy === readFileSync(source, 'utf8'), 'charts/portico/files is stale: run deploy/delivery/sync-chart-files.sh').toBe(true);
    }
    const realmOf = (objects: K8sObject[]): Loose =>
      JSON.parse(find(objects, 'ConfigMap', 'portico-keycloak-realm').data?.['portico-realm.json'] ?? 'null');
    // Unhardened (dev values): the realm exactly as in the repository.
    expect(realmOf(rendering('deploy/values/dev.yaml'))).toEqual(JSON.parse(copy));
    expect(JSON.parse(copy).realm).toBe('portico');
  });

  it('imports no development secret, test client or password grant into a cluster realm', () => {
    const source = JSON.parse(readFileSync(join(chartDir, 'files/portico-realm.json'), 'utf8'));
    const realm = JSON.parse(
      find(rendering('deploy/values/production.yaml'), 'ConfigMap', 'portico-keycloak-realm').data?.['portico-realm.json'] ?? 'null',
    );
    expect(realm.realm).toBe(source.realm);
    expect(realm.clients.map((c: Loose) => c.clientId)).toEqual(
      source.clients.map((c: Loose) => c.clientId).filter((id: string) => !chartValues().keycloak.realmImport.excludeClients.includes(id)),
    );
    for (const client of realm.clients) {
      expect(client, client.clientId).not.toHaveProperty('secret');
      expect(client.directAccessGrantsEnabled, client.clientId).toBe(false);
    }
    const gateway = realm.clients.find((c: Loose) => c.clientId === 'portico-gateway');
    expect(gateway).toMatchObject({ redirectUris: ['https://portal.portico.test/*'], webOrigins: ['https://portal.portico.test'] });
    expect(JSON.stringify(realm)).not.toMatch(/localhost|127\.0\.0\.1|dev-secret/);
    expect(realm).not.toHaveProperty('smtpServer');
    // Services calling services (the notifications service asking the auth service whom to email)
    // keep their client-credentials identity and its `service` role; Keycloak makes their secrets.
    expect(realm.roles.realm.map((r: Loose) => r.name)).toContain('service');
    expect(realm.clients.find((c: Loose) => c.clientId === 'portico-notifications')).toMatchObject({
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      defaultClientScopes: expect.arrayContaining(['portico-api', 'roles']),
    });
    expect(realm.users.find((u: Loose) => u.serviceAccountClientId === 'portico-notifications')?.realmRoles).toEqual(['service']);
    // Every service keeping a patient directory has its own identity to list the auth service's
    // patients when its directory is new, and its pod reads that client's secret if the operator
    // gave it (an optional key: without it the directory fills from the topic and look-ups).
    const deployments = rendering('deploy/values/production.yaml').filter((o) => o.kind === 'Deployment');
    for (const name of ['contacts', 'appointments', 'documents', 'billing', 'insurance']) {
      expect(
        realm.clients.find((c: Loose) => c.clientId === `portico-${name}`),
        name,
      ).toMatchObject({
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
      });
      expect(realm.users.find((u: Loose) => u.serviceAccountClientId === `portico-${name}`)?.realmRoles, name).toEqual(['service']);
      const container = podSpec(deployments.find((d) => component(d) === name)!).containers[0];
      expect(container.env.find((e: Loose) => e.name === 'SERVICE_CLIENT_SECRET')?.valueFrom?.secretKeyRef, name).toMatchObject({
        key: 'SERVICE_CLIENT_SECRET',
        optional: true,
      });
    }
  });

  it("puts the clinic's name on Keycloak's login page when the values give one", () => {
    const realmOf = (file: string): Loose =>
      JSON.parse(find(rendering(file), 'ConfigMap', 'portico-keycloak-realm').data?.['portico-realm.json'] ?? 'null');
    expect(realmOf('deploy/values/production.yaml')).toMatchObject({
      displayName: 'Riverside Family Clinic',
      displayNameHtml: '<strong>Riverside Family Clinic</strong>',
    });
    expect(realmOf('deploy/values/dev.yaml').displayName).toBe('Portico');
  });

  it('tells the operator in NOTES.txt how to reach the portal and check its health', () => {
    // helm template leaves NOTES.txt out: render it through tpl in a scratch copy of the chart.
    const copy = join(tempDir('notes'), 'portico');
    cpSync(chartDir, copy, { recursive: true });
    cpSync(join(copy, 'templates/NOTES.txt'), join(copy, 'files/notes.txt'));
    writeFileSync(
      join(copy, 'templates/notes-preview.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: {{ tpl (.Files.Get "files/notes.txt") . | quote }}\n',
    );
    const result = helmTemplate(['deploy/values/production.yaml'], ['--show-only', 'templates/notes-preview.yaml'], copy);
    expect(result.status, result.stderr).toBe(0);
    const notes = (parseYaml(result.stdout)[0] as K8sObject).data?.notes ?? '';
    expect(notes).toContain('https://portal.portico.test/');
    expect(notes).toContain('/healthz');
    expect(notes).toContain('/readyz');
    expect(notes).toContain('kubectl -n portico rollout status');
    expect(notes).toMatch(/portico-contacts: MONGO_URL/);
  });
});
