// Shared helpers of the delivery tests: run the pinned tools from .local/tools (installed by
// deploy/delivery/install-tools.sh), render the Helm chart and read what it rendered.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const chartDir = join(repo, 'charts/portico');
const toolsDir = join(repo, '.local/tools');
export const helmBin = join(toolsDir, 'bin/helm');
const venvBin = join(toolsDir, 'venv/bin');
export const pythonBin = join(venvBin, 'python');
export const kubernetesValidateBin = join(venvBin, 'kubernetes-validate');
export const checkovBin = join(venvBin, 'checkov');
export const checkJsonschemaBin = join(venvBin, 'check-jsonschema');

/** The Kubernetes release manifests are validated against (and rendered for). */
export const KUBE_VERSION = '1.33.0';
export const RELEASE = 'portico';
export const NAMESPACE = 'portico';

/** Fails with the one command that fixes it when a tool is missing. */
export function requireTools(): void {
  const missing = [helmBin, pythonBin, kubernetesValidateBin, checkovBin, checkJsonschemaBin].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`delivery tools missing (${missing.join(', ')}): run deploy/delivery/install-tools.sh`);
  }
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): RunResult {
  const result = spawnSync(command, args, { cwd: repo, input, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Values files the chart must render: every environment and every scenario under ci/. */
export function valuesFiles(): string[] {
  const envs = readdirSync(join(repo, 'deploy/values'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `deploy/values/${f}`);
  const scenarios = readdirSync(join(chartDir, 'ci'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `charts/portico/ci/${f}`);
  return [...envs, ...scenarios].sort();
}

export function helmTemplate(files: string[], extra: string[] = [], chart = chartDir): RunResult {
  const args = ['template', RELEASE, chart, '--namespace', NAMESPACE, '--kube-version', KUBE_VERSION];
  for (const f of files) args.push('--values', f);
  return run(helmBin, [...args, ...extra]);
}

/** Rendered manifests are checked field by field; their schema is Kubernetes', not ours. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Loose;
  data?: Record<string, string>;
  [key: string]: unknown;
}

// YAML to JSON in the tools' Python (PyYAML ships with kubernetes-validate). A key that appears
// twice in one mapping is an error: Kubernetes' strict decoding rejects such a manifest.
const yamlToJson = `
import sys, json, yaml
class Loader(yaml.SafeLoader):
    pass
def mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == 'tag:yaml.org,2002:merge':
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, 'duplicate key %r' % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)
Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
json.dump([d for d in yaml.load_all(sys.stdin, Loader=Loader) if d is not None], sys.stdout)
`;

/** Parses YAML (one or many documents); duplicate keys fail. */
export function parseYaml(text: string): unknown[] {
  // The machine's Python while the tools' venv is not complete yet (install-tools.sh stamps it).
  const python = existsSync(join(toolsDir, 'venv/.portico-tools')) ? pythonBin : 'python3';
  const result = run(python, ['-c', yamlToJson], text);
  if (result.status !== 0) throw new Error(`YAML parse failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

/** Renders the chart with the given values files and returns its objects; a render error throws. */
export function render(files: string[], extra: string[] = []): K8sObject[] {
  const result = helmTemplate(files, extra);
  if (result.status !== 0) throw new Error(`helm template ${files.join(' ')} failed:\n${result.stderr}`);
  return parseYaml(result.stdout) as K8sObject[];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `portico-${prefix}-`));
}

/** Writes a values file to a temporary folder and returns its path. */
export function tempValues(content: string): string {
  const file = join(tempDir('values'), 'values.yaml');
  writeFileSync(file, content);
  return file;
}

export const byKind = (objects: K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Folders under services/ that hold a deployable (a package.json). */
export function serviceDirs(): string[] {
  const dir = join(repo, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => d.name)
    .sort();
}
