import type { Page, TestInfo } from '@playwright/test';
import { generateSharedEndFlow } from '@/bench/generate-flow';
import type { FlowDocument } from '@/lib/flow/schema';
import { expect, fromApp, test } from './helpers';

/** Imports a document through the API as the signed-in editor would, and answers its flow id. */
async function importFlow(page: Page, testInfo: TestInfo, document: FlowDocument): Promise<string> {
  const res = await page.request.post('/api/flows/import', { data: { document }, headers: fromApp(testInfo) });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { flow: { id: string } }).flow.id;
}

/** The draft as the server holds it. */
async function savedDraft(page: Page, id: string): Promise<FlowDocument> {
  const res = await page.request.get(`/api/flows/${encodeURIComponent(id)}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { draft: FlowDocument }).draft;
}

/** The names of the Web Workers the page starts from now on ('optline-layout', 'optline-analyzer'), as each starts. */
function workersOf(page: Page): { names(): Promise<string[]> } {
  const names: Promise<string>[] = [];
  page.on('worker', (w) => names.push(w.evaluate(() => self.name).catch(() => '(ended before it could be asked)')));
  return { names: () => Promise.all(names) };
}

test('opens a 2,000-step flow imported without positions: the browser lays it out in a worker, the server never does', async ({
  page,
}, testInfo) => {
  const doc = generateSharedEndFlow(2_000);
  const id = await importFlow(page, testInfo, { ...doc, id: 'big-bare' });
  const workers = workersOf(page);
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('node-start')).toBeVisible({ timeout: 30_000 });
  // Opened as saved: the positions are the view's until the user saves.
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  expect((await savedDraft(page, id)).nodes.some((n) => n.position)).toBe(false);
  // Laid out by the layout worker (ended once the draft was laid out); the analysis has its own.
  await expect(verdictOrChecking(page)).toBeVisible();
  expect(await workers.names()).toContain('optline-layout');
});

test('tidies up a 2,000-step flow in a worker: the page answers meanwhile, the result is one undo step, and nothing unsaved is lost', async ({
  page,
}, testInfo) => {
  const doc = generateSharedEndFlow(2_000, { positions: true });
  const id = await importFlow(page, testInfo, { ...doc, id: 'big-grid' });
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('node-start')).toBeVisible({ timeout: 30_000 });

  // An unsaved edit first: the flow's name in the inspector is not needed; a label on the Start step will do.
  await page.getByTestId('node-start').click();
  await page.getByLabel('Label on the canvas').fill('Begin here');
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');

  const workers = workersOf(page);
  await page.getByRole('button', { name: 'Tidy up' }).click();
  // The page's own thread stays free: it runs a script while the layout may still be running.
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await expect(page.getByRole('button', { name: 'Tidy up' })).toBeVisible({ timeout: 30_000 });
  expect(await workers.names()).toEqual(['optline-layout']);
  await expect(page.getByTestId('node-start')).toContainText('Begin here');

  // Saved: the shared End sits below every other step, and the edit made before is there.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const tidied = await savedDraft(page, id);
  const y = (nodeId: string) => tidied.nodes.find((n) => n.id === nodeId)!.position!.y;
  expect(Math.max(...tidied.nodes.filter((n) => n.id !== 'done').map((n) => y(n.id)))).toBeLessThan(y('done'));
  expect(tidied.nodes.find((n) => n.id === 'start')!.label).toBe('Begin here');

  // One undo takes the whole layout back, and only the layout: the label stays.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const undone = await savedDraft(page, id);
  expect(undone.nodes.map((n) => n.position)).toEqual(doc.nodes.map((n) => n.position));
  expect(undone.nodes.find((n) => n.id === 'start')!.label).toBe('Begin here');
});

test('shows Tidy up’s progress with a Cancel that leaves the canvas as it was', async ({ page }, testInfo) => {
  const doc = generateSharedEndFlow(2_000, { positions: true });
  const id = await importFlow(page, testInfo, { ...doc, id: 'grid-cancel' });
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('node-start')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

  // Hold back every script asked for from now on (the layout worker's among them): the layout cannot finish before Cancel.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_next/static/**', async (route) => {
    await held;
    await route.continue().catch(() => undefined);
  });
  await page.getByRole('button', { name: 'Tidy up' }).click();
  const progress = page.getByTestId('tidy-progress');
  await expect(progress.getByRole('progressbar', { name: 'Tidying up' })).toBeVisible();
  await expect(progress).toContainText('Tidying up…');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Tidy up' })).toBeVisible();
  release();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await page.unroute('**/_next/static/**');

  // Tidy up again runs to the end in a fresh worker.
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
});

/** The toolbar's verdict, or "Checking…" while the analysis worker has not answered yet. */
function verdictOrChecking(page: Page) {
  return page.getByRole('button', { name: /^Compliance:/ }).or(page.getByRole('status').filter({ hasText: 'Checking…' }));
}
