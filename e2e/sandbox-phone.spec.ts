import { expect, fromApp, test } from './helpers';
import { storageStateOf } from './people';

// Issue 18, items 12 and 14: the sandbox phone shows each number's texts as the phone sees them, with delivery
// statuses the sandbox reports as Twilio would; its reply box texts the business through the inbound webhook's path.
test('the sandbox phone: a contact texts HELP and STOP from it and reads the answers, each reported delivered', async ({
  page,
}, testInfo) => {
  const digits = String(1000 + Math.floor(Math.random() * 9000));
  const phone = `+1312555${digits}`;
  const created = await page.request.post('/api/contacts', {
    headers: fromApp(testInfo),
    data: {
      phone,
      consent: { purpose: 'informational', source: 'web_form', text: 'Text me about my visits', at: '2026-01-05T15:00:00Z' },
    },
  });
  expect(created.status()).toBe(201);

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandbox phone' }).click();
  await expect(page.getByRole('heading', { name: 'Sandbox phone' })).toBeVisible();

  // A first text from a number with no conversation yet.
  const start = page.getByRole('form', { name: 'Text the business from a number' });
  await start.getByLabel('From the number').fill(`(312) 555-${digits}`);
  await start.getByLabel('Text').fill('HELP');
  await start.getByRole('button', { name: 'Send' }).click();

  const conversation = page.getByRole('region', { name: `Phone ${phone}` });
  const thread = conversation.getByRole('list', { name: `Texts with ${phone}` });
  await expect(thread.getByRole('listitem').first()).toContainText('HELP');
  // The worker sends the answer; the sandbox reports it queued, sent, delivered; the page reads itself again.
  const help = thread.getByRole('listitem').filter({ hasText: 'Reply STOP to opt out' });
  await expect(help).toBeVisible({ timeout: 30_000 });
  await expect(help.getByTestId('delivery-status')).toHaveText('· delivered', { timeout: 30_000 });

  // The conversation's own reply box.
  await conversation.getByLabel(`Text from ${phone}`).fill('STOP');
  await conversation.getByRole('button', { name: 'Send' }).click();
  const stop = thread.getByRole('listitem').filter({ hasText: 'You are unsubscribed' });
  await expect(stop).toBeVisible({ timeout: 30_000 });
  await expect(stop.getByTestId('delivery-status')).toHaveText('· delivered', { timeout: 30_000 });
  await expect(thread.getByRole('listitem')).toHaveText([/HELP/, /Reply STOP to opt out/, /STOP/, /You are unsubscribed/]);
});

test('the sandbox phone shows a reviewer the texts without a reply box', async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateOf('reviewer') });
  const page = await context.newPage();
  await page.goto('/sandbox');
  await expect(page.getByRole('heading', { name: 'Sandbox phone' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Text the business from a number' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  await context.close();
});
