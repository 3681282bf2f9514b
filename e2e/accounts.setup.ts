import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { Role } from '@/lib/access/roles';
import { totpCode } from '@/lib/auth/testing/totp';
import { expect, snapshot, test } from './helpers';
import { PEOPLE, SECRETS_FILE, storageStateOf, TOKEN_FILE } from './people';

/**
 * First start, as a new customer sees it: the owner account, TOTP enrolment
 * (the code computed from the secret the page shows), people added in
 * Settings, each signing in (reviewer and admin enrol their own second
 * factor); a developer makes an API token. The signed-in states are kept for
 * the other tests.
 */

const secrets: Partial<Record<Role, string>> = {};

async function enrolTwoFactor(page: Page, password: string): Promise<string> {
  await expect(page).toHaveURL(/\/two-factor$/);
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')).not.toHaveCount(0);
  await page.getByLabel('Authenticator code').fill(totpCode(secret, new Date()));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  return secret;
}

async function signInAs(browser: Browser, role: Role): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Signed out, a console page sends to sign-in, which comes back to it afterwards.
  await page.goto('/flows?q=bill');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fflows%3Fq%3Dbill$/);
  await page.getByLabel('Email').fill(PEOPLE[role].email);
  await page.getByLabel('Password').fill(PEOPLE[role].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

test('first start: the owner account with two-factor, people in their roles, a developer token', async ({ page, browser }, testInfo) => {
  // Five people signed in, three enrolments: a hung-test limit, not a speed check (a loaded 2-core box took over 60 s).
  test.setTimeout(180_000);
  await mkdir(path.dirname(SECRETS_FILE), { recursive: true });
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Create the owner account' })).toBeVisible();
  await page.getByLabel('Business name').fill('Acme Dental');
  await page.getByLabel('Your name').fill(PEOPLE.owner.name);
  await page.getByLabel('Email').fill(PEOPLE.owner.email);
  await page.getByLabel('Password', { exact: true }).fill('too short');
  await page.getByLabel('Password again').fill('too short');
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await expect(page.getByText('the password needs at least 12 characters')).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Password again').fill('password1234');
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await expect(
    page.getByText('this password is among the most common passwords (or made of them); choose a longer phrase of unrelated words'),
  ).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(PEOPLE.owner.password);
  await page.getByLabel('Password again').fill(PEOPLE.owner.password);
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await snapshot(page, testInfo, 'two-factor-enrolment');
  secrets.owner = await enrolTwoFactor(page, PEOPLE.owner.password);
  await page.context().storageState({ path: storageStateOf('owner') });

  // The owner adds people in Settings.
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add a person' });
  for (const role of ['admin', 'editor', 'developer', 'reviewer'] as const) {
    await form.getByLabel('Name').fill(PEOPLE[role].name);
    await form.getByLabel('Email').fill(PEOPLE[role].email);
    await form.getByLabel('First password').fill(PEOPLE[role].password);
    await form.getByLabel('Role').selectOption(role);
    await form.getByRole('button', { name: 'Add person' }).click();
    await expect(page.getByRole('table', { name: 'People' }).getByRole('cell', { name: PEOPLE[role].email })).toBeVisible();
  }

  // Setting a second factor is required for admin and reviewer, optional for editor and developer.
  for (const role of ['admin', 'reviewer'] as const) {
    const p = await signInAs(browser, role);
    secrets[role] = await enrolTwoFactor(p, PEOPLE[role].password);
    await p.context().storageState({ path: storageStateOf(role) });
    await p.context().close();
  }
  for (const role of ['editor', 'developer'] as const) {
    const p = await signInAs(browser, role);
    await p.waitForURL((url) => url.pathname === '/flows' && url.search === '?q=bill');
    await p.context().storageState({ path: storageStateOf(role) });
    if (role === 'developer') {
      await p.goto('/account');
      const tokenForm = p.getByRole('form', { name: 'New API token' });
      await tokenForm.getByLabel('Token name').fill('CI export');
      await tokenForm.getByLabel('Import and export flows').check();
      await tokenForm.getByRole('button', { name: 'Create token' }).click();
      const token = (await p.getByTestId('token-secret').textContent())!.trim();
      expect(token).toMatch(/^optl_/);
      await writeFile(TOKEN_FILE, token);
    }
    await p.context().close();
  }
  await writeFile(SECRETS_FILE, JSON.stringify(secrets));

  // The owner signs in again on a new browser: the password alone is not enough.
  const again = await signInAs(browser, 'owner');
  await expect(again.getByLabel('Authenticator code')).toBeVisible();
  await again.getByLabel('Authenticator code').fill('000000' === totpCode(secrets.owner!, new Date()) ? '111111' : '000000');
  await again.getByRole('button', { name: 'Verify' }).click();
  await expect(again.getByText('That code is not right')).toBeVisible();
  await again.getByLabel('Authenticator code').fill(totpCode(secrets.owner!, new Date()));
  await again.getByRole('button', { name: 'Verify' }).click();
  await again.waitForURL((url) => url.pathname === '/flows');
  await again.context().close();
});
