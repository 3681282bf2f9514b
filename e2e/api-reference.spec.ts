import { expect, test } from './helpers';

// The helpers' fixture fails the test on any Content Security Policy violation or page error.
test('the API reference renders every part of the API from /api/openapi.json under the real CSP', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }).click();
  await page.waitForURL('**/developers/api');
  const res = await page.request.get('/developers/api');
  const csp = res.headers()['content-security-policy'] ?? '';
  // Scripts keep the nonce and 'strict-dynamic', and nothing may eval; only <style> elements need no nonce here.
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'; style-src 'self' 'unsafe-inline';/);
  expect(csp).not.toContain('unsafe-eval');

  const reference = page.getByTestId('api-reference');
  await expect(reference.getByRole('heading', { name: 'Optline API', level: 1 })).toBeVisible({ timeout: 20_000 });
  // Operations from across the API, by their summaries, group by group.
  const sidebar = page.getByRole('complementary', { name: 'Sidebar for Optline API' });
  for (const [group, summary] of [
    ['flows', 'Create a flow'],
    ['runs', 'Start a run'],
    ['versions', 'Approve or reject a version'],
    ['tokens', 'Create an API token'],
  ] as const) {
    await sidebar.getByRole('button', { name: `Open Group - ${group}` }).click();
    await expect(sidebar.getByRole('link', { name: new RegExp(`^${summary} HTTP Method`) })).toBeVisible();
  }
  // An operation shows the permission it needs.
  await sidebar.getByRole('link', { name: /^Create a flow HTTP Method/ }).click();
  const createFlow = reference.getByRole('region', { name: 'Create a flow' });
  await expect(createFlow.getByRole('heading', { name: 'Create a flow' })).toBeVisible();
  await expect(createFlow.getByText('flows.edit').first()).toBeVisible();
  // Scalar's stylesheet applied (not the browser's defaults): the reference lays out its own sidebar.
  await expect(reference.locator('.scalar-app, .scalar-api-reference').first()).toBeVisible();
});

test('every way in and out of the reference loads a new document, so no console page runs under its policy', async ({ page }) => {
  const loadedAt = () => page.evaluate(() => new URL(performance.getEntriesByType('navigation')[0]!.name).pathname);
  const res = (await page.goto('/flows'))!;
  expect(res.headers()['content-security-policy']).toMatch(/style-src 'self' 'nonce-[^']+';/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }).click();
  await page.waitForURL('**/developers/api');
  expect(await loadedAt()).toBe('/developers/api');
  await expect(page.getByTestId('api-reference').getByRole('heading', { name: 'Optline API', level: 1 })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Back to the console' }).click();
  await page.waitForURL('**/flows');
  expect(await loadedAt()).toBe('/flows');
});
