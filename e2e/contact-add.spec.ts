import { expect, test } from './helpers';

// Issue 18, item 11: a marketer adds one contact with the evidence of their consent, checked as the API checks it.
test('a contact is added from the contacts page with its consent evidence; problems are shown at their fields', async ({ page }) => {
  const phone = `(312) 555-${String(1000 + Math.floor(Math.random() * 9000))}`;
  const words = 'Yes, text me reminders about my visits to Acme Dental. Reply STOP to stop.';
  await page.goto('/contacts');
  const form = page.getByRole('form', { name: 'Add a contact' });
  await expect(form).toBeVisible();

  // Nothing said about when: refused before sending.
  await form.getByRole('button', { name: 'Add contact' }).click();
  await expect(form.getByLabel('When they agreed')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toHaveText('give when they agreed');

  // The API's problems, every one at its own field: a number that is no number, no words agreed to, a zone that is none.
  await form.getByLabel('Phone number').fill('555');
  await form.getByLabel('Time zone (optional)').fill('Mars/Base');
  await form.getByLabel('When they agreed').fill('2026-03-10T09:30');
  await form.getByRole('button', { name: 'Add contact' }).click();
  await expect(form.getByLabel('The exact words they agreed to')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Time zone (optional)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('give the exact text the person agreed to')).toBeVisible();
  await expect(form.getByText('is not an IANA time zone like America/Chicago')).toBeVisible();

  await form.getByLabel('Time zone (optional)').fill('America/Chicago');
  await form.getByLabel('The exact words they agreed to').fill(words);
  await form.getByRole('button', { name: 'Add contact' }).click();
  await expect(form.getByLabel('Phone number')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('"555" is not a valid phone number')).toBeVisible();

  await form.getByLabel('Phone number').fill(phone);
  await form.getByLabel('Name (optional)').fill('Nia Form');
  await form.getByLabel('What they agreed to receive').selectOption('informational');
  await form.getByLabel('How they agreed').selectOption('web_form');
  await form.getByLabel('Channel').selectOption('paper');
  await form.getByRole('button', { name: 'Add contact' }).click();
  const added = form.getByRole('status');
  await expect(added).toContainText('Added +1312555');
  await expect(form.getByRole('alert')).toHaveCount(0);

  // The contact's page shows the evidence: the exact words and the purpose.
  await added.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Nia Form' })).toBeVisible();
  await expect(page.getByText(words)).toBeVisible();
  await expect(page.getByText(/informational/i).first()).toBeVisible();

  // The same number again is refused at the phone field.
  await page.goto('/contacts');
  await form.getByLabel('Phone number').fill(phone);
  await form.getByLabel('When they agreed').fill('2026-03-10T09:30');
  await form.getByLabel('The exact words they agreed to').fill(words);
  await form.getByRole('button', { name: 'Add contact' }).click();
  await expect(form.getByText(/is already a contact/)).toBeVisible();
});
