// Static security checks with checkov: the manifests the chart renders for every environment
// and scenario, and the image recipe. checkov offline reports no severities, so the bar is
// stricter than "no high-severity failure": no failed check at all, apart from the few skipped
// in test/delivery/checkov.yaml, each with its reason there. One checkov run per target.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkovBin, helmTemplate, requireTools, run, tempDir, valuesFiles } from './tools.js';

interface CheckovReport {
  check_type: string;
  summary: { passed: number; failed: number; parsing_errors: number; resource_count: number };
  results: { failed_checks: { check_id: string; check_name: string; resource: string; file_path: string }[] };
}

function checkov(args: string[]): CheckovReport[] {
  const result = run(checkovBin, ['--config-file', 'test/delivery/checkov.yaml', '--output', 'json', ...args]);
  // Exit 1 means failed checks; the report says which. Anything else without JSON is a crash.
  let parsed: CheckovReport | CheckovReport[];
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`checkov ${args.join(' ')} gave no report (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

const failures = (reports: CheckovReport[]): string[] =>
  reports.flatMap((r) => r.results.failed_checks.map((f) => `${f.check_id} ${f.check_name}: ${f.resource} (${f.file_path})`));

beforeAll(() => requireTools());

describe('checkov', () => {
  it('finds no failed check in the manifests rendered from every values file', () => {
    const dir = tempDir('checkov');
    const files = valuesFiles();
    for (const file of files) {
      const result = helmTemplate([file]);
      expect(result.status, result.stderr).toBe(0);
      writeFileSync(join(dir, file.replace(/[/]/g, '_')), result.stdout);
    }
    const reports = checkov(['--directory', dir, '--framework', 'kubernetes']);
    expect(reports.map((r) => r.check_type)).toEqual(['kubernetes']);
    const summary = reports[0]!.summary;
    expect(failures(reports)).toEqual([]);
    expect(summary.parsing_errors).toBe(0);
    // Every rendered file was read: at least a Deployment, Service, ServiceAccount, ConfigMap each.
    expect(summary.resource_count).toBeGreaterThanOrEqual(files.length * 4);
    expect(summary.passed).toBeGreaterThan(500);
  });

  it('finds no failed check in docker/Dockerfile', () => {
    const reports = checkov(['--file', 'docker/Dockerfile', '--framework', 'dockerfile']);
    expect(reports.map((r) => r.check_type)).toEqual(['dockerfile']);
    expect(failures(reports)).toEqual([]);
    expect(reports[0]!.summary.parsing_errors).toBe(0);
    expect(reports[0]!.summary.passed).toBeGreaterThan(10);
  });
});
