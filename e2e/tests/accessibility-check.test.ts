// The accessibility check every browser test relies on (support/axe.ts) must fail a page that
// breaks WCAG: a picture without a text alternative, text too faint to read, and two navigation
// landmarks with one name. A page that breaks none of them passes.
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations, expectAccessible } from '../support/axe.js';
import { assertChromium, openBrowser, type Person } from '../support/browser.js';

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

describe('the accessibility check of the browser tests', () => {
  const people: Person[] = [];
  afterAll(async () => {
    for (const person of people) await person.close();
  });

  it('names each WCAG failure on a page, and passes the same page once they are fixed', async () => {
    assertChromium();
    const person = await openBrowser();
    people.push(person);
    await person.page.setContent(
      page(
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
          '<p style="color:#ddd;background:#fff">Your next appointment</p>' +
          '<nav aria-label="Sections"></nav><nav aria-label="Sections"></nav>',
      ),
    );
    expect((await axeViolations(person.page)).map((violation) => violation.id).sort()).toEqual([
      'color-contrast',
      'image-alt',
      'landmark-unique',
    ]);
    await expect(expectAccessible(person.page, 'the broken page')).rejects.toThrow(/3 accessibility violation\(s\)/);

    await person.page.setContent(
      page(
        '<img alt="The clinic’s logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
          '<p style="color:#333;background:#fff">Your next appointment</p>' +
          '<nav aria-label="Sections"></nav><nav aria-label="Pages"></nav>',
      ),
    );
    await expectAccessible(person.page, 'the fixed page');
  });
});
