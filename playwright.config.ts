import { defineConfig, devices } from '@playwright/test';
import { storageStateOf } from './e2e/people';

const port = Number(process.env.E2E_PORT ?? 3210);

/**
 * End-to-end tests in Debian's Chromium (/usr/bin/chromium; Playwright's own
 * browser download does not work here) against the production build on a
 * database of its own (e2e/serve.ts).
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'America/Chicago',
    locale: 'en-US',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // First start through the UI: creates the people the other tests sign in as (e2e/people.ts).
    { name: 'accounts', testMatch: /accounts\.setup\.ts$/ },
    { name: 'app', dependencies: ['accounts'], testIgnore: /accounts\.setup\.ts$/, use: { storageState: storageStateOf('editor') } },
  ],
  webServer: {
    command: `npx next build && npx tsx e2e/serve.ts ${port}`,
    url: `http://localhost:${port}/api/setup`,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
    // e2e/serve.ts drops its database on SIGTERM.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
