import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Playwright's test, failing any test during which the page threw an error or
 * React reported one, or the Content Security Policy refused anything: so
 * every spec proves the editor, simulator and charts work under the CSP.
 */
export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      const refused: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The event names the directive and what it refused; the console also sees refusals no document event reports (a worker's).
      await page.exposeFunction('__optlineCspViolation', (v: string) => refused.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { __optlineCspViolation(v: string): void }).__optlineCspViolation(
            `${e.effectiveDirective} refused ${e.blockedURI || 'inline'} on ${e.documentURI}`,
          );
        });
      });
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
      });
      await use();
      expect(errors, 'errors thrown in the page').toEqual([]);
      expect(refused, 'Content Security Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The headers a browser sends with a write from one of the app's pages: the app only takes cookie-authenticated writes from its own origin. */
export function fromApp(testInfo: TestInfo): { origin: string } {
  return { origin: new URL(testInfo.project.use.baseURL!).origin };
}

/** Creates a flow through the list page and waits for its editor. */
export async function createFlow(page: Page, options: { name: string; brand?: string; template?: string }): Promise<string> {
  await page.goto('/flows');
  await page.getByRole('button', { name: 'New flow' }).click();
  const dialog = page.getByRole('dialog', { name: 'New flow' });
  if (options.template) await dialog.getByLabel('Start from').selectOption(options.template);
  await dialog.getByLabel('Name').fill(options.name);
  if (options.brand) await dialog.getByLabel('Brand').fill(options.brand);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/flows\/[^/]+$/);
  await expect(page.locator('.react-flow__pane')).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

/** The flow document exactly as "Export JSON" shows it. */
export async function exportedJson(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export JSON' });
  const text = await dialog.getByTestId('export-json').inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  return text;
}

/** The toolbar's compliance verdict, e.g. "Compliance: 1 errors, 2 warnings". */
export function verdict(page: Page) {
  return page.getByRole('button', { name: /^Compliance:/ });
}

/** Saves a screenshot as a test artifact (attached to the report and kept in test-results). */
export async function snapshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Drags a node on the canvas by its title bar. */
export async function dragNode(page: Page, nodeId: string, by: { x: number; y: number }): Promise<void> {
  const head = page.getByTestId(`node-${nodeId}`).locator('.flow-node-head');
  const box = (await head.boundingBox())!;
  const x = box.x + 40;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by.x / 2, y + by.y / 2, { steps: 5 });
  await page.mouse.move(x + by.x, y + by.y, { steps: 5 });
  await page.mouse.up();
}

/** Connects a node's output handle to another node's input by dragging. */
export async function connect(page: Page, source: string, output: string, target: string): Promise<void> {
  const from = page.getByTestId(`node-${source}`).locator(`.react-flow__handle.source[data-handleid="${output}"]`);
  const to = page.getByTestId(`node-${target}`).locator('.react-flow__handle.target');
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}
