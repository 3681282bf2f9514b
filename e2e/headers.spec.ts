import type { APIResponse, Page, Response } from '@playwright/test';
import { expect, test } from './helpers';

// A well-formed payment token (43 base64url characters) that no payment has.
const DEAD_TOKEN = 'A'.repeat(43);

const FIXED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
};

function scriptNonce(res: Response | APIResponse): string {
  const csp = res.headers()['content-security-policy'] ?? '';
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `a script nonce in ${csp}`).toBeTruthy();
  return nonce!;
}

/**
 * Opens a page served at `url` (another site, or a page of this one) that
 * frames `framed`, and expects Chromium to have refused it: the frame holds
 * Chromium's error page instead, and nothing of ours shows.
 */
async function expectFramingRefused(page: Page, url: string, framed: string): Promise<void> {
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>framer</title><iframe src="${framed}" width="800" height="600"></iframe>`,
    }),
  );
  await page.goto(url);
  const frame = page.frames().find((f) => f !== page.mainFrame())!;
  await expect.poll(() => frame.url()).toMatch(/^chrome-error:/);
  await expect(page.frameLocator('iframe').getByRole('heading')).toHaveCount(0);
  await expect(page.frameLocator('iframe').getByRole('button')).toHaveCount(0);
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the sign-in page carries the security headers and a fresh script nonce on every request, and works under its CSP', async ({
    page,
    request,
  }) => {
    const res = (await page.goto('/sign-in'))!;
    const headers = res.headers();
    expect(headers).toMatchObject({ ...FIXED, 'referrer-policy': 'strict-origin-when-cross-origin' });
    const nonce = scriptNonce(res);
    expect(headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; style-src 'self' 'nonce-${nonce}'; style-src-attr 'unsafe-inline'; ` +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'",
    );
    // Served over http here: no HSTS (it would pin a host that has no https).
    expect(headers['strict-transport-security']).toBeUndefined();
    // Every script Next.js wrote carries this request's nonce.
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const again = await request.get('/sign-in');
    expect(scriptNonce(again)).not.toBe(nonce);

    // The page's scripts ran (hydrated form: a wrong password is answered in the page, not by a reload).
    await page.getByLabel('Email').fill('nobody@clinic.test');
    await page.getByLabel('Password').fill('not-the-password-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  });

  test('a payment link sends no referrer, runs no script, and its page shows styled under its own CSP', async ({ page }) => {
    const res = (await page.goto(`/pay/${DEAD_TOKEN}`))!;
    expect(res.status()).toBe(404);
    const headers = res.headers();
    expect(headers).toMatchObject({ ...FIXED, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$/,
    );
    await expect(page.getByRole('heading', { name: 'This payment link does not exist' })).toBeVisible();
    // The inline style is allowed by its hash: the page is laid out as designed, not as bare HTML.
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(247, 248, 250)');
  });

  test('the pages Next.js renders under /pay send no referrer and carry a nonce', async ({ page }) => {
    const res = (await page.goto('/pay/done'))!;
    expect(res.headers()).toMatchObject({ ...FIXED, 'referrer-policy': 'no-referrer' });
    scriptNonce(res);
    await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  });

  test('the API answers with nosniff too, and no response names the framework', async ({ request }) => {
    const res = await request.get('/api/setup');
    expect(res.headers()).toMatchObject({ 'x-content-type-options': 'nosniff' });
    for (const path of ['/api/setup', '/sign-in', '/pay/nothing-here'])
      expect((await request.get(path, { maxRedirects: 0 })).headers()['x-powered-by'], path).toBeUndefined();
  });

  test('another site cannot frame a payment link or the sign-in page', async ({ context, baseURL }) => {
    // Pages of their own: the refusal they log is the point of this test, not a failure of the app.
    for (const framed of [`${baseURL}/pay/${DEAD_TOKEN}`, `${baseURL}/sign-in`]) {
      const attacker = await context.newPage();
      await expectFramingRefused(attacker, 'http://attacker.test/', framed);
      await attacker.close();
    }
  });
});

test('a page of the same site cannot frame the settings either', async ({ context, baseURL }) => {
  // Signed in as the editor: without the headers the framed page would be the live console.
  const framer = await context.newPage();
  await expectFramingRefused(framer, `${baseURL}/frame-test`, '/settings');
  await framer.close();
});
