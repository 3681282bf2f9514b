import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { expect, fromApp, snapshot, test } from './helpers';
import { storageStateOf } from './people';

/**
 * Issue #18, items 9 and 10: submitting shows the draft's problems first and
 * refuses one with errors (the server too, with a 422 naming the steps); a
 * draft with warnings asks first; every disabled button says why. The UI
 * follows the role: a reviewer gets no editing controls, a read-only canvas
 * and a review queue with a count in the navigation; an editor sees each
 * flow's review status.
 */
test.describe.configure({ mode: 'serial' });

const WITH_ERRORS = { id: 'ux-review-errors', name: 'Bill with a shortcut' };
const WITH_WARNING = { id: 'ux-review-warned', name: 'Bill with a stray end' };

type Doc = { id: string; name: string; nodes: Record<string, unknown>[]; edges: { id: string; target: string }[] };

async function payByText(): Promise<Doc> {
  return JSON.parse(await readFile(path.resolve('workflows/pay-by-text.json'), 'utf8')) as Doc;
}

async function importFlow(page: Page, testInfo: TestInfo, document: Doc): Promise<void> {
  const res = await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { document } });
  expect(res.status(), await res.text()).toBe(201);
}

async function asReviewer(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf('reviewer') });
  return context.newPage();
}

test('a draft with compliance errors: its problems show before submitting, Submit is off and says why, and the server refuses it', async ({
  page,
}, testInfo) => {
  // The payment link straight after consent, before the ZIP check: a verify-before-pay error.
  const doc = await payByText();
  Object.assign(doc, WITH_ERRORS);
  doc.edges = doc.edges.map((e) => (e.id === 'e-notice-granted' ? { ...e, target: 'pay' } : e));
  await importFlow(page, testInfo, doc);

  await page.goto(`/flows/${WITH_ERRORS.id}/versions`);
  const errors = page.getByRole('list', { name: 'Errors to fix before submitting' });
  // Plain sentences with the steps' labels; the ids and rule codes only under "Details".
  await expect(errors.getByRole('listitem').first()).toContainText('The connection from “Pay-by-text notice” (granted) to “Payment link”:');
  await expect(errors.getByText('rule verify-before-pay', { exact: false }).first()).toBeHidden();
  const submit = page.getByRole('button', { name: 'Submit for review' });
  await expect(submit).toBeDisabled();
  await expect(submit).toHaveAttribute('title', /^Fix the \d+ compliance errors? below in the editor first/);
  await expect(page.getByTestId('submit-why')).toHaveText(/^Fix the \d+ compliance errors? below in the editor first/);
  await snapshot(page, testInfo, 'submit-refused');

  // The server refuses it too, naming the connection by its steps.
  const res = await page.request.post(`/api/flows/${WITH_ERRORS.id}/versions`, { headers: fromApp(testInfo), data: {} });
  expect(res.status()).toBe(422);
  const body = (await res.json()) as { error: { message: string; details: { path: string; message: string }[] } };
  expect(body.error.message).toMatch(/^the draft cannot be submitted: it has \d+ compliance errors?/);
  expect(body.error.details).toContainEqual({
    path: 'verify-before-pay:edge:e-notice-granted',
    message: expect.stringMatching(/^The connection from “Pay-by-text notice” \(granted\) to “Payment link”: /),
  });
  await page.reload();
  await expect(page.getByRole('table', { name: 'Versions' })).toContainText('No versions yet');
});

test('a draft with warnings asks before it is submitted; the reviewer’s Approve and Reject say why they are off', async ({
  page,
  browser,
}, testInfo) => {
  const doc = await payByText();
  Object.assign(doc, WITH_WARNING);
  doc.nodes.push({ id: 'stray', type: 'end', label: 'Stray end', position: { x: 0, y: 900 } });
  await importFlow(page, testInfo, doc);

  await page.goto(`/flows/${WITH_WARNING.id}/versions`);
  await expect(page.getByRole('list', { name: 'Warnings the reviewer will see' })).toContainText('Step “Stray end”:');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('The saved draft has 1 warning');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('table', { name: 'Versions' })).toContainText('No versions yet');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('button', { name: 'Submit with 1 warning' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Version 1 is submitted for review, with 1 warning the reviewer must acknowledge before approving.',
  );

  const rp = await asReviewer(browser);
  await rp.goto('/reviews');
  const queue = rp.getByRole('table', { name: 'Awaiting your decision' });
  const row = queue.getByRole('row').filter({ hasText: WITH_WARNING.name });
  await expect(row).toContainText('Eddie Editor');
  await expect(row).toContainText('Compliant · 1 warning');
  // The navigation counts what awaits this reviewer: the rows of the queue.
  const rows = await queue.locator('tbody tr').count();
  await expect(rp.getByRole('link', { name: `Review queue: ${rows} awaiting your decision` })).toBeVisible();
  await expect(rp.getByTestId('nav-review-count')).toHaveText(String(rows));
  await snapshot(rp, testInfo, 'review-queue');
  await row.getByRole('link', { name: 'Review version 1' }).click();

  const approve = rp.getByRole('button', { name: 'Approve' });
  const reject = rp.getByRole('button', { name: 'Reject' });
  await expect(approve).toBeDisabled();
  await expect(approve).toHaveAttribute('title', 'Approve is off until every warning above is acknowledged (1 left).');
  await expect(rp.getByTestId('approve-why')).toHaveText('Approve is off until every warning above is acknowledged (1 left).');
  await expect(reject).toBeDisabled();
  await expect(reject).toHaveAttribute('title', 'Reject is off until you write a comment saying why.');
  await expect(rp.getByTestId('reject-why')).toHaveText('Reject is off until you write a comment saying why.');

  await rp.getByRole('checkbox', { name: /^Acknowledge warning: Step “Stray end”: / }).check();
  await expect(approve).toBeEnabled();
  await expect(approve).not.toHaveAttribute('title', /.+/);
  await expect(rp.getByTestId('approve-why')).toHaveCount(0);
  await rp.getByLabel('Comment (required to reject)').fill('The stray end is harmless.');
  await expect(reject).toBeEnabled();
  await approve.click();
  await expect(rp.getByTestId('version-status')).toHaveText('approved');
  await rp.context().close();

  // The editor sees where the version stands in the flow list.
  await page.goto('/flows');
  await expect(page.getByTestId(`review-status-${WITH_WARNING.id}`)).toHaveText('Version 1: approved, not live yet');
  await expect(page.getByTestId(`review-status-${WITH_ERRORS.id}`)).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: WITH_ERRORS.name })).toContainText('Not submitted yet');
});

test('a reviewer gets no editing controls: the flow list without New, Import, Rename, Duplicate or Delete, and a read-only canvas', async ({
  browser,
}, testInfo) => {
  const rp = await asReviewer(browser);
  await rp.goto('/flows');
  await expect(rp.getByRole('table', { name: 'Flows' })).toContainText(WITH_WARNING.name);
  for (const name of ['New flow', 'Import JSON', /^Rename /, /^Duplicate /, /^Delete /])
    await expect(rp.getByRole('button', { name })).toHaveCount(0);
  await expect(rp.getByTestId(`review-status-${WITH_WARNING.id}`)).toHaveText('Version 1: approved, not live yet');

  await rp.getByRole('link', { name: WITH_WARNING.name, exact: true }).click();
  await expect(rp.getByRole('heading', { name: WITH_WARNING.name })).toBeVisible();
  await expect(rp.getByTestId('read-only-notice')).toHaveText(/^Read only: the reviewer role/);
  const canvas = rp.getByRole('region', { name: `Flow ${WITH_WARNING.name}` });
  await expect(canvas.getByTestId('view-node-stray')).toBeVisible();
  // None of the editor's controls: no palette, inspector, save or export (a reviewer may not transfer flows).
  await expect(rp.getByRole('button', { name: /^Save/ })).toHaveCount(0);
  await expect(rp.getByRole('button', { name: 'Export JSON' })).toHaveCount(0);
  await expect(rp.getByRole('link', { name: 'Export JSON' })).toHaveCount(0);
  await expect(rp.getByRole('list', { name: 'Warnings in the saved draft' })).toContainText('Step “Stray end”:');
  await snapshot(rp, testInfo, 'read-only-flow');
  await rp.getByRole('link', { name: 'Versions and review' }).click();
  await expect(rp.getByRole('heading', { name: `Versions of ${WITH_WARNING.name}` })).toBeVisible();
  await expect(rp.getByRole('button', { name: 'Submit for review' })).toHaveCount(0);
  await rp.context().close();
});
