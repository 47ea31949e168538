// Runs axe-core on the page as it is now and fails on any WCAG 2.0 / 2.1 level A or AA
// violation, listing each rule, why it matters and the elements that break it. Two landmarks
// with one name (axe's best-practice landmark-unique) fail too: a screen reader's list of
// regions then offers two the same, and people cannot tell which is the table.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeOptions {
  /** CSS selectors of parts that are not ours (none by default). */
  exclude?: string[];
}

export async function axeViolations(page: Page, options: AxeOptions = {}) {
  // options() replaces what was set before it, so it comes first; a rule enabled by name runs whatever its tags.
  // Legacy mode runs axe.run in the page itself, same-origin frames included. The default mode
  // finishes each run in a blank page of its own, for frames of other origins, which neither our
  // pages nor Keycloak's have: that page cost about 1 s of CPU per check (0.4 s in legacy mode),
  // and the browser tests run some 150 checks.
  let builder = new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ rules: { 'landmark-unique': { enabled: true } } })
    .withTags(wcagTags);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations;
}

export function describeViolations(where: string, violations: Awaited<ReturnType<typeof axeViolations>>): string {
  const lines = [`${violations.length} accessibility violation(s) (WCAG 2.1 A/AA) on ${where}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact ?? 'unknown'}]: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 8)) {
      lines.push(`    at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ').trim() ?? ''}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

export async function expectAccessible(page: Page, where: string, options: AxeOptions = {}): Promise<void> {
  const violations = await axeViolations(page, options);
  if (violations.length > 0) throw new Error(describeViolations(where, violations));
}
