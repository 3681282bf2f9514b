import type { Browser, Page } from '@playwright/test';
import { expect, test } from './helpers';
import { storageStateOf } from './people';
import type { Role } from '@/lib/access/roles';

async function settingsAs(browser: Browser, role: Role): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ storageState: storageStateOf(role) });
  const page = await context.newPage();
  await page.goto('/settings');
  await expect(page.getByRole('form', { name: 'Settings' })).toBeVisible();
  return { page, close: () => context.close() };
}

test('settings: a HELP answer without opt-out words is refused at its field and nothing is saved; a good one is saved; only the owner pauses states', async ({
  browser,
}) => {
  const admin = await settingsAs(browser, 'admin');
  const form = admin.page.getByRole('form', { name: 'Settings' });
  const help = form.getByLabel('HELP answer');
  const before = await help.inputValue();

  await help.fill('Acme Dental: call us at 555-0100.');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByRole('alert')).toHaveText('the help text must say how to opt out (e.g. "Reply STOP to opt out")');
  await expect(help).toHaveAttribute('aria-invalid', 'true');
  await admin.page.reload();
  await expect(admin.page.getByRole('form', { name: 'Settings' }).getByLabel('HELP answer')).toHaveValue(before);

  const changed = 'Acme Dental: call us at 555-0100. Reply STOP to opt out.';
  await admin.page.getByRole('form', { name: 'Settings' }).getByLabel('HELP answer').fill(changed);
  await admin.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(admin.page.getByRole('status')).toHaveText('Saved.');
  await admin.page.reload();
  await expect(admin.page.getByRole('form', { name: 'Settings' }).getByLabel('HELP answer')).toHaveValue(changed);
  // An admin edits the texts, not the pause.
  await expect(admin.page.getByLabel('Pause all marketing to these states')).toBeDisabled();
  await expect(admin.page.getByText('Only the owner can change this.')).toBeVisible();
  await admin.close();

  const owner = await settingsAs(browser, 'owner');
  const states = owner.page.getByLabel('Pause all marketing to these states');
  await states.fill('LA, ZZ');
  await owner.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(owner.page.getByRole('form', { name: 'Settings' }).getByRole('alert')).toHaveText('"ZZ" is not a US state code like LA');
  await states.fill('LA');
  await owner.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(owner.page.getByRole('status')).toHaveText('Saved.');
  await owner.page.reload();
  await expect(owner.page.getByLabel('Pause all marketing to these states')).toHaveValue('LA');
  // Put back what the other tests expect.
  await owner.page.getByLabel('Pause all marketing to these states').fill('');
  await owner.page.getByRole('form', { name: 'Settings' }).getByLabel('HELP answer').fill(before);
  await owner.page.getByRole('button', { name: 'Save settings' }).click();
  await expect(owner.page.getByRole('status')).toHaveText('Saved.');
  await owner.close();

  // An editor reads them and can change nothing.
  const editor = await settingsAs(browser, 'editor');
  await expect(editor.page.getByRole('form', { name: 'Settings' }).getByLabel('HELP answer')).toBeDisabled();
  await expect(editor.page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await editor.close();
});
