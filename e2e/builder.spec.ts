import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createFlow, expect, test, dragNode, exportedJson, snapshot, verdict, fromApp } from './helpers';

test('builds a pay-by-text flow from an empty canvas: the payment edge is blocked until identity is verified, and the export validates', async ({
  page,
}, testInfo) => {
  await createFlow(page, { name: 'Bill pay e2e', brand: 'Acme Dental' });

  // Drag the Start step onto the empty canvas.
  const pane = page.locator('.react-flow__pane');
  await page.getByTestId('palette-trigger').dragTo(pane, { targetPosition: { x: 330, y: 60 } });
  await expect(page.getByTestId('node-start-1')).toBeVisible();

  // Press palette items to add steps below the selected one, connected from its first free output.
  await page.getByTestId('node-start-1').click();
  await page.getByTestId('palette-consent.request').click();
  await expect(page.getByTestId('node-consent-1')).toBeVisible();
  await page.getByTestId('node-consent-1').click();
  await page.getByTestId('palette-payment.request').click();
  await expect(page.getByTestId('node-pay-1')).toBeVisible();

  // Fill the payment step in the inspector.
  await page.getByTestId('node-pay-1').click();
  await page.getByLabel('Label on the canvas').fill('Bill payment');
  await page.getByLabel('Description (on the payment page)').fill('Acme Dental bill');
  await expect(page.getByTestId('node-pay-1')).toContainText('Bill payment');

  // A payment without identity verification: the edge into it is blocked, with the reason.
  const flag = page.getByTestId('blocked-e-consent-1-granted');
  await expect(flag).toBeVisible();
  await flag.hover();
  await expect(page.getByRole('tooltip')).toContainText('verify-before-pay');
  await expect(verdict(page)).toHaveAccessibleName(/Compliance: [1-9]\d* errors?/);
  // The analysis ran in its Web Worker, not on the page's main thread.
  expect(page.workers().length).toBe(1);
  await snapshot(page, testInfo, 'editor-blocked-edge');

  // Move the payment step down, take out the blocked connection, and put an identity check in between.
  await dragNode(page, 'pay-1', { x: 0, y: 260 });
  await page.getByRole('tab', { name: /Problems/ }).click();
  await page.getByTestId('problem').filter({ hasText: 'without verifying who is paying' }).first().getByRole('button').click();
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByRole('button', { name: 'Delete this connection' }).click();
  await expect(flag).toBeHidden();
  await page.getByTestId('node-consent-1').click();
  await page.getByTestId('palette-verify.identity').click();
  await expect(page.getByTestId('node-verify-1')).toBeVisible();
  await connect(page, 'verify-1', 'verified', 'pay-1');

  await expect(page.locator('[data-testid^="blocked-"]')).toHaveCount(0);
  await expect(verdict(page)).toHaveAccessibleName(/Compliance: 0 errors/);

  // Save, then export: `optline validate` accepts the file as it is.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const json = await exportedJson(page);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'optline-e2e-')), 'bill-pay.flow.json');
  writeFileSync(file, json);
  const out = execFileSync(process.execPath, ['bin/optline.js', 'validate', file], { encoding: 'utf8' });
  expect(out).toMatch(/valid/i);

  // Re-importing the export gives the same graph.
  const imported = await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { text: json } });
  expect(imported.status()).toBe(201);
  const { draft } = (await imported.json()) as { draft: { nodes: unknown[]; edges: unknown[] } };
  const original = JSON.parse(json) as { nodes: unknown[]; edges: unknown[] };
  expect(draft.nodes).toEqual(original.nodes);
  expect(draft.edges).toEqual(original.edges);
});

test('undo and redo restore the graph exactly', async ({ page }) => {
  await createFlow(page, { name: 'Undo e2e', template: 'appointment-reminder' });
  const before = await exportedJson(page);

  await page.getByTestId('node-remind').click();
  await page.getByTestId('palette-wait.delay').click();
  await dragNode(page, 'confirmed', { x: -120, y: 40 });
  await page.getByTestId('node-cancelled').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-cancelled')).toHaveCount(0);
  // Tidy up lays the steps out again (in its Web Worker, started on the first press): the dragged step moves back into line.
  const untidy = await exportedJson(page);
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await expect.poll(() => exportedJson(page)).not.toBe(untidy);
  const after = await exportedJson(page);
  expect(after).not.toBe(before);

  const undo = page.getByRole('button', { name: 'Undo' });
  while (await undo.isEnabled()) await undo.click();
  expect(await exportedJson(page)).toBe(before);

  const redo = page.getByRole('button', { name: 'Redo' });
  while (await redo.isEnabled()) await redo.click();
  expect(await exportedJson(page)).toBe(after);

  // The keyboard does the same.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+Shift+z');
  expect(await exportedJson(page)).toBe(after);
});

test('an invalid document shows every error with its path and saves nothing', async ({ page }) => {
  await page.goto('/flows');
  const listed = async () => ((await (await page.request.get('/api/flows')).json()) as { flows: unknown[] }).flows.length;
  const count = await listed();
  await page.getByRole('button', { name: 'Import JSON' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a flow' });
  const bad = {
    schemaVersion: 1,
    id: 'broken',
    name: 'Broken',
    policy: { brand: 'Acme' },
    nodes: [
      { id: 'start', type: 'trigger', data: { kind: 'api' } },
      { id: 'wait', type: 'wait.delay', data: { duration: 'two days' } },
      { id: 'send', type: 'message.send', data: { purpose: 'promotions', body: 'Acme: hello' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'nope', target: 'ghost' }],
  };
  await dialog.getByLabel('…or paste the flow JSON').fill(JSON.stringify(bad, null, 2));
  await dialog.getByRole('button', { name: 'Import' }).click();
  const errors = dialog.getByTestId('form-errors');
  await expect(errors).toContainText('the flow was not imported');
  await expect(errors).toContainText('nodes[1].data.duration');
  await expect(errors).toContainText('"two days" is not a duration');
  await expect(errors).toContainText('nodes[2].data.purpose');
  // The dangling edge is reported in the same answer, not only once the other problems are fixed.
  await expect(errors).toContainText('edges[0].target');
  await expect(errors).toContainText('there is no node "ghost"');
  expect(await errors.locator('li').count()).toBeGreaterThanOrEqual(3);
  expect(await listed()).toBe(count);
  await expect(page).toHaveURL(/\/flows$/);
});
