import type { Page } from '@playwright/test';
import { createFlow, expect, snapshot, test } from './helpers';

async function startSimulation(page: Page, start: string) {
  await page.getByRole('tab', { name: 'Simulate' }).click();
  const setup = page.getByRole('form', { name: 'Simulation set-up' });
  await setup.getByLabel('Time zone').selectOption('America/Chicago');
  await setup.getByLabel('ZIP').fill('60601');
  await setup.getByLabel("Starts at (contact's local time)").fill(start);
  await setup.getByRole('button', { name: 'Start simulation' }).click();
  await expect(page.getByTestId('sim-status')).toBeVisible();
}

test('simulates the pay-by-text template to "paid" and shows the receipt', async ({ page }, testInfo) => {
  await createFlow(page, { name: 'Sim pay e2e', template: 'pay-by-text' });
  // A Tuesday morning in Chicago: the notice goes at once.
  await startSimulation(page, '2026-03-10T10:00');
  const thread = page.getByTestId('phone-thread');
  await expect(thread.getByTestId('sms-out').first()).toContainText('pay your bill through text');
  // The notice period passes without a STOP: consent is granted and the ZIP check is sent.
  await page.getByRole('button', { name: /Advance to next timer/ }).click();
  await expect(thread.getByTestId('sms-out').last()).toContainText('ZIP');
  await page.getByLabel('Reply as the contact').fill('60601');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(thread.getByTestId('sms-out').last()).toContainText('pay.optline.test');
  await snapshot(page, testInfo, 'editor-simulation');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(thread.getByTestId('sms-out').last()).toContainText(/receipt/i);
  await expect(page.getByTestId('sim-status')).toHaveText(/Run ended/);
});

test('a STOP mid-flow ends the simulated run at once', async ({ page }) => {
  await createFlow(page, { name: 'Sim stop e2e', template: 'pay-by-text' });
  await startSimulation(page, '2026-03-10T10:00');
  await expect(page.locator('.flow-node.sim-active')).toHaveCount(1);
  await page.getByLabel('Reply as the contact').fill('Stop please');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('sim-status')).toHaveText('Run stopped: the contact opted out');
  // The business's own STOP answer (Settings), as the runtime sends it.
  await expect(page.getByTestId('sms-out').last()).toContainText('You are unsubscribed');
  await expect(page.getByRole('button', { name: 'No timer pending' })).toBeDisabled();
  await expect(page.locator('.flow-node.sim-active')).toHaveCount(0);
});

test("a text due after 9 pm is held until the morning in the contact's zone", async ({ page }) => {
  await createFlow(page, { name: 'Sim quiet e2e', template: 'pay-by-text' });
  await startSimulation(page, '2026-03-10T21:30');
  await expect(page.getByTestId('sim-log')).toContainText('Held until 08:00 (America/Chicago)');
  await expect(page.getByTestId('sms-out')).toHaveCount(0);
  await page.getByRole('button', { name: /Advance to next timer \(Wed, Mar 11, 08:00 CDT\)/ }).click();
  await expect(page.getByTestId('sms-out')).toHaveCount(1);
});
