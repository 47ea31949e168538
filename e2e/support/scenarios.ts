// What a person does in the portal, step by step, written once for every browser test of the real
// platform. Each step waits for what a person would see.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible } from './axe.js';
import { focused, tabTo } from './browser.js';

export type Shot = (page: Page, step: string) => Promise<string>;

export interface NewContact {
  name: string;
  relationship?: string;
  phone?: string;
  email?: string;
  purposes: ('Emergency' | 'Release of information' | 'Other')[];
  notes?: string;
}

export const mainHeading = (page: Page) => page.locator('#main-content h1');

export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  await page.waitForFunction(
    ([source, flags]) => {
      const h1 = document.querySelector('#main-content h1');
      return Boolean(h1 && new RegExp(source!, flags).test(h1.textContent ?? ''));
    },
    typeof text === 'string' ? [`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, ''] : [text.source, text.flags],
  );
}

/** The polite status region's text once it says something matching `text`. */
export async function expectStatus(page: Page, text: RegExp): Promise<void> {
  const status = page.locator('#portal-status');
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source!, flags).test(document.getElementById('portal-status')?.textContent ?? ''),
    [text.source, text.flags],
  );
  expect(await status.getAttribute('aria-live')).toBe('polite');
}

/** Opens a page from the main menu (on a narrow screen, through the Menu button first). */
export async function openFromMenu(page: Page, label: string): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Menu', exact: true });
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: label, exact: true }).click();
  await expectHeading(page, label === 'Home' ? /Welcome/ : label);
}

/** Home (seed step 3): the welcome message, the clinic's contact details, the handbook link. */
export async function expectHome(page: Page, clinic: { name: string; phone?: string; email?: string; welcome?: RegExp }): Promise<void> {
  await expectHeading(page, `Welcome to ${clinic.name}`);
  await page.getByRole('heading', { name: 'A message from the clinic' }).waitFor();
  if (clinic.welcome) expect(await page.locator('.welcome-message').textContent()).toMatch(clinic.welcome);
  const contact = page.getByRole('region', { name: 'Contact the clinic' });
  // The clinic's number may come back normalised (E.164): compare the digits of the tel: link.
  if (clinic.phone) await contact.locator(`a[href="tel:+${clinic.phone.replace(/\D/g, '')}"]`).waitFor();
  if (clinic.email) await contact.getByRole('link', { name: clinic.email }).waitFor();
  await page.getByRole('link', { name: /Download the client handbook/ }).waitFor();
  // Seed step 4: the main menu on the left, Home the current page.
  const nav = page.getByRole('navigation', { name: 'Main menu' });
  for (const label of ['Home', 'Appointments', 'Documents', 'Billing', 'Insurance', 'Contacts']) {
    await nav.getByRole('link', { name: label, exact: true }).waitFor({ state: 'attached' });
  }
  expect(await nav.getByRole('link', { name: 'Home', exact: true }).getAttribute('aria-current')).toBe('page');
}

/** Downloads the handbook from Home and returns its bytes. */
export async function downloadHandbook(page: Page): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the client handbook/ }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Fills the contact dialog with the mouse-free locators a person would find by label. */
export async function fillContactDialog(page: Page, c: Partial<NewContact>): Promise<void> {
  const dialog = page.getByRole('dialog');
  if (c.name !== undefined) await dialog.getByLabel('Name', { exact: true }).fill(c.name);
  if (c.relationship !== undefined) await dialog.getByLabel(/^Relationship/).fill(c.relationship);
  if (c.phone !== undefined) await dialog.getByLabel(/^Phone \(optional\)|^Phone$/).fill(c.phone);
  if (c.email !== undefined) await dialog.getByLabel(/^Email/).fill(c.email);
  if (c.notes !== undefined) await dialog.getByLabel(/^Notes/).fill(c.notes);
  if (c.purposes) {
    for (const purpose of ['Emergency', 'Release of information', 'Other'] as const) {
      const box = dialog.getByRole('checkbox', { name: purpose, exact: true });
      if (c.purposes.includes(purpose) !== (await box.isChecked())) await box.click();
    }
  }
}

/** Seed step 9 with a mouse: Add New Contact (top right) → dialog → the new contact in the list. */
export async function addContact(page: Page, c: NewContact, shot?: Shot): Promise<void> {
  await page.getByRole('button', { name: /Add New Contact/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Add New Contact' });
  await dialog.waitFor();
  await fillContactDialog(page, c);
  if (shot) await shot(page, 'add-contact-dialog');
  await expectAccessible(page, 'the Add New Contact dialog');
  await dialog.getByRole('button', { name: 'Add contact' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectStatus(page, new RegExp(`${escape(c.name)} was added`));
  await page.getByRole('heading', { level: 2, name: c.name, exact: true }).waitFor();
  expect((await focused(page)).name).toBe(c.name);
}

export async function editContact(page: Page, name: string, change: Partial<NewContact>, shot?: Shot): Promise<void> {
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit contact: ${name}` });
  await dialog.waitFor();
  await fillContactDialog(page, change);
  if (shot) await shot(page, 'edit-contact-dialog');
  await expectAccessible(page, 'the Edit contact dialog');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  const now = change.name ?? name;
  await expectStatus(page, new RegExp(`changes to ${escape(now)} were saved`));
  expect((await focused(page)).name).toBe(`Edit ${now}`);
}

export async function setContactActive(page: Page, name: string, active: boolean, shot?: Shot): Promise<void> {
  const verb = active ? 'Reactivate' : 'Inactivate';
  await page.getByRole('button', { name: `${verb} ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `${verb} ${name}?` });
  await dialog.waitFor();
  expect((await focused(page)).name).toBe('Cancel');
  if (shot) await shot(page, `${verb.toLowerCase()}-confirmation`);
  await expectAccessible(page, `the ${verb} confirmation`);
  await dialog.getByRole('button', { name: verb, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectStatus(page, active ? new RegExp(`${escape(name)} is active again`) : new RegExp(`${escape(name)} is now inactive`));
  const card = page.locator('.contact-card', { has: page.getByRole('heading', { name, exact: true }) });
  expect(await card.locator('.badge').textContent()).toBe(active ? 'Active' : 'Inactive');
  expect((await focused(page)).name).toBe(`${active ? 'Inactivate' : 'Reactivate'} ${name}`);
}

/** The keyboard-only add-contact flow: Tab, Enter, typing, Space; never the mouse. */
export async function addContactWithKeyboard(page: Page, c: NewContact, shot?: Shot): Promise<void> {
  await tabTo(page, /Add New Contact/);
  // Escape closes the dialog and gives focus back to the button that opened it.
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Add New Contact' }).waitFor();
  expect((await focused(page)).name).toBe('Name');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  expect((await focused(page)).name).toMatch(/Add New Contact/);

  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Add New Contact' }).waitFor();
  expect((await focused(page)).name).toBe('Name');
  // Submitting with nothing filled in: the problems are announced and focus goes to the name.
  await tabTo(page, /^Add contact$/);
  await page.keyboard.press('Enter');
  await page.getByText('Enter the contact’s name.').waitFor();
  expect((await focused(page)).name).toBe('Name');
  if (shot) await shot(page, 'keyboard-missing-fields');

  await page.keyboard.type(c.name);
  if (c.relationship) {
    await tabTo(page, /^Relationship/);
    await page.keyboard.type(c.relationship);
  }
  if (c.phone) {
    await tabTo(page, /^Phone( \(optional\))?$/);
    await page.keyboard.type(c.phone);
  }
  if (c.email) {
    await tabTo(page, /^Email/);
    await page.keyboard.type(c.email);
  }
  for (const purpose of c.purposes) {
    await tabTo(page, new RegExp(`^${escape(purpose)}$`));
    await page.keyboard.press('Space');
  }
  // Tab stays inside the dialog: past the last button it comes back to the close button.
  await tabTo(page, /^Add contact$/);
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toMatch(/Close/);
  await tabTo(page, /^Add contact$/, 40, 'Shift+Tab');
  if (shot) await shot(page, 'keyboard-filled-in');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await expectStatus(page, new RegExp(`${escape(c.name)} was added`));
  const now = await focused(page);
  expect(now.tag).toBe('h2');
  expect(now.name).toBe(c.name);
}

/** At 360 px the menu collapses behind "Menu"; it opens, is used and closes with the keyboard. */
export async function useNarrowMenu(page: Page, shot?: Shot): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  const toggle = page.getByRole('button', { name: 'Menu', exact: true });
  await toggle.waitFor();
  const nav = page.getByRole('navigation', { name: 'Main menu' });
  expect(await nav.getByRole('link', { name: 'Contacts', exact: true }).isVisible()).toBe(false);

  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(page, /^Menu$/);
  await page.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  await nav.getByRole('link', { name: 'Contacts', exact: true }).waitFor();
  // Focus moves into the open menu, onto the current page.
  const current = await nav.locator('a[aria-current="page"]').textContent();
  expect((await focused(page)).name).toBe(current);
  if (shot) await shot(page, 'narrow-menu-open');
  await expectAccessible(page, 'the open menu at 360 px');

  // Escape closes it and focus goes back to the Menu button.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect((await focused(page)).name).toBe('Menu');

  await page.keyboard.press('Enter');
  await tabTo(page, /^Contacts$/);
  await page.keyboard.press('Enter');
  await expectHeading(page, 'Contacts');
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect((await focused(page)).name).toBe('Contacts');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/**
 * Seed step 10 by keyboard: the name at the top right opens Change password, two-step login, Email
 * preferences (patients and guardians) and Log out; focus ends on Log out.
 */
export async function openAccountMenu(page: Page, userName: string): Promise<void> {
  const button = page.getByRole('button', { name: new RegExp(`^${escape(userName)}: account menu`) });
  await button.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menu').getByRole('menuitem', { name: 'Change password' }).waitFor();
  expect((await focused(page)).name).toBe('Change password');
  await page.keyboard.press('ArrowDown');
  expect((await focused(page)).name).toBe('Set up two-step login');
  await page.keyboard.press('ArrowDown');
  if ((await focused(page)).name === 'Email preferences') await page.keyboard.press('ArrowDown');
  expect((await focused(page)).name).toBe('Log out');
}

/** The page is no wider than the screen: nothing to scroll sideways to (at 360 px, say). */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${where} scrolls sideways: ${scrollWidth} px of content in ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
}

export async function logOutFromMenu(page: Page, userName: string): Promise<void> {
  await openAccountMenu(page, userName);
  await page.keyboard.press('Enter');
}

export async function switchPatient(page: Page, to: string): Promise<void> {
  await page.getByRole('button', { name: /^Acting for:/ }).click();
  await page.getByRole('menuitemradio', { name: to }).click();
  await page.getByRole('button', { name: new RegExp(`^Acting for: ${escape(to)}\\.`) }).waitFor();
  await expectStatus(page, new RegExp(`acting for ${escape(to)}`));
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
