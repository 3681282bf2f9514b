import { expect, test } from './helpers';
import { storageStateOf } from './people';

test('outbound webhooks: an admin registers an endpoint in Settings, sees its secret once, switches it off and deletes it; an editor sees no such section', async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStateOf('admin') });
  const page = await context.newPage();
  await page.goto('/settings');
  const section = page.getByRole('region', { name: 'Outbound webhooks' });
  const form = section.getByRole('form', { name: 'New webhook endpoint' });

  // Production refuses plain http and private targets, naming the field.
  await form.getByLabel('Endpoint URL').fill('https://169.254.169.254/latest/meta-data');
  await form.getByLabel('payment.failed').check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(form.getByText(/link-local/)).toBeVisible();

  const url = `https://crm-${Date.now()}.example.com/optline`;
  await form.getByLabel('Endpoint URL').fill(url);
  await form.getByLabel('Description').fill('CRM');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = section.getByTestId('webhook-secret');
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const shown = await secret.textContent();
  const table = section.getByRole('table', { name: 'Outbound webhook endpoints' });
  const row = table.getByRole('row').filter({ hasText: url });
  await expect(row).toContainText('payment.failed');
  await expect(row).toContainText('not sent');

  // Shown once: after a reload the endpoint is listed and its secret is nowhere on the page.
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: url })).toBeVisible();
  expect(await page.content()).not.toContain(shown!);

  await table
    .getByRole('row')
    .filter({ hasText: url })
    .getByRole('button', { name: `Switch off ${url}` })
    .click();
  await expect(table.getByRole('row').filter({ hasText: url }).getByTestId('webhook-status-off')).toBeVisible();
  await table
    .getByRole('row')
    .filter({ hasText: url })
    .getByRole('button', { name: `Delivery log of ${url}` })
    .click();
  await expect(section.getByRole('table', { name: `Deliveries to ${url}` })).toContainText('Nothing delivered yet.');

  page.once('dialog', (d) => void d.accept());
  await table
    .getByRole('row')
    .filter({ hasText: url })
    .getByRole('button', { name: `Delete ${url}` })
    .click();
  await expect(table.getByRole('row').filter({ hasText: url })).toHaveCount(0);
  await context.close();

  const editor = await browser.newContext({ storageState: storageStateOf('editor') });
  const editorPage = await editor.newPage();
  await editorPage.goto('/settings');
  await expect(editorPage.getByRole('heading', { name: 'Brand and keyword replies' })).toBeVisible();
  await expect(editorPage.getByRole('region', { name: 'Outbound webhooks' })).toHaveCount(0);
  await editor.close();
});
