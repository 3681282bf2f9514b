import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { expect, fromApp, test } from './helpers';
import { storageStateOf } from './people';

/**
 * The README's screenshots of the sandbox phone (docs/sandbox-phone.png) and
 * the review queue (docs/review-queue.png), taken from the running app with
 * data made through its own API and pages. Skipped unless asked for:
 *
 *   E2E_PORT=<port> README_SCREENSHOTS=1 npx playwright test e2e/readme-screenshots.spec.ts --project app --no-deps
 *
 * against a fresh server (e2e/serve.ts) after the accounts set-up, so no other test's data shows.
 */
test.skip(!process.env.README_SCREENSHOTS, 'takes the README screenshots only with README_SCREENSHOTS=1');
test.describe.configure({ mode: 'serial' });

const VIEWPORT = { width: 1280, height: 760 };
const suffix = Math.random().toString(36).slice(2, 7);

type Doc = { id: string; name: string; nodes: { id: string; type: string; label?: string; position?: unknown }[] };

async function template(name: string): Promise<Doc> {
  return JSON.parse(await readFile(path.resolve(`workflows/${name}.json`), 'utf8')) as Doc;
}

/** Imports a flow as the editor and submits its draft for review. */
async function importAndSubmit(page: Page, testInfo: TestInfo, doc: Doc): Promise<void> {
  const imported = await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { document: doc } });
  expect(imported.status(), await imported.text()).toBe(201);
  const submitted = await page.request.post(`/api/flows/${doc.id}/versions`, { headers: fromApp(testInfo), data: {} });
  expect(submitted.status(), await submitted.text()).toBe(201);
}

test('the review queue, as a reviewer sees it', async ({ page, browser }, testInfo) => {
  const bill = await template('pay-by-text');
  Object.assign(bill, { id: `dental-bill-${suffix}`, name: 'Dental bill: pay by text' });
  await importAndSubmit(page, testInfo, bill);

  const reminder = await template('appointment-reminder');
  Object.assign(reminder, { id: `visit-reminder-${suffix}`, name: 'Visit reminder, North clinic' });
  // A step nothing leads to: a warning the reviewer must acknowledge.
  reminder.nodes.push({ id: 'old-end', type: 'end', label: 'Old ending', position: { x: 900, y: 1200 } });
  await importAndSubmit(page, testInfo, reminder);

  const context = await browser.newContext({ storageState: storageStateOf('reviewer'), viewport: VIEWPORT });
  const rp = await context.newPage();
  await rp.goto('/reviews');
  const queue = rp.getByRole('table', { name: 'Awaiting your decision' });
  await expect(queue).toContainText('Dental bill: pay by text');
  await expect(queue).toContainText('Visit reminder, North clinic');
  await rp.screenshot({ path: path.resolve('docs/review-queue.png') });
  await context.close();
});

test('the sandbox phone, with two contacts texting the business', async ({ page }, testInfo) => {
  await page.setViewportSize(VIEWPORT);
  const people = [
    { phone: '+13125550142', typed: '(312) 555-0142', first: 'HELP' },
    { phone: '+13125550187', typed: '(312) 555-0187', first: 'STOP' },
  ];
  for (const p of people) {
    const created = await page.request.post('/api/contacts', {
      headers: fromApp(testInfo),
      data: {
        phone: p.phone,
        consent: { purpose: 'informational', source: 'web_form', text: 'Text me about my visits and bills', at: '2026-11-02T15:00:00Z' },
      },
    });
    expect([201, 409]).toContain(created.status());
  }

  await page.goto('/sandbox');
  for (const p of people) {
    const start = page.getByRole('form', { name: 'Text the business from a number' });
    await start.getByLabel('From the number').fill(p.typed);
    await start.getByLabel('Text').fill(p.first);
    await start.getByRole('button', { name: 'Send' }).click();
    const thread = page.getByRole('list', { name: `Texts with ${p.phone}` });
    await expect(thread.getByRole('listitem').nth(1).getByTestId('delivery-status')).toHaveText('· delivered', { timeout: 30_000 });
  }
  // The second contact changes their mind.
  const second = page.getByRole('region', { name: `Phone ${people[1]!.phone}` });
  await second.getByLabel(`Text from ${people[1]!.phone}`).fill('START');
  await second.getByRole('button', { name: 'Send' }).click();
  await expect(second.getByRole('listitem').nth(3).getByTestId('delivery-status')).toHaveText('· delivered', { timeout: 30_000 });
  await page.screenshot({ path: path.resolve('docs/sandbox-phone.png') });
});
