import { execFileSync } from 'node:child_process';
import { expect, fromApp, snapshot, test } from './helpers';
import { storageStateOf } from './people';

/**
 * Issue 19: a marketer imports contacts across four time zones (some without
 * marketing consent, one in a state where the owner paused marketing), builds
 * a segment, and previews a campaign at 20:30 in each contact's own zone: the
 * numbers per outcome are those the send-time rules give for each contact.
 */

const FLOW_ID = `spring-promo-${Math.floor(Math.random() * 1e6)}`;
const FLOW = {
  schemaVersion: 1,
  id: FLOW_ID,
  name: 'Spring promo',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', position: { x: 0, y: 120 }, data: { purpose: 'marketing' } },
    {
      id: 'offer',
      type: 'message.send',
      position: { x: 0, y: 240 },
      data: { purpose: 'marketing', body: 'Acme Dental: {{vars.amount}} off whitening this spring. Reply STOP to opt out.' },
    },
    { id: 'done', type: 'end', position: { x: 0, y: 360 } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'offer' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'offer', sourceHandle: 'sent', target: 'done' },
    { id: 'e5', source: 'offer', sourceHandle: 'failed', target: 'done' },
  ],
};

// Tuesday 9 March 2027 (before daylight saving time): 20:30 in each zone, as UTC.
const AT: Record<string, string> = {
  'America/New_York': '2027-03-10T01:30:00Z',
  'America/Chicago': '2027-03-10T02:30:00Z',
  'America/Denver': '2027-03-10T03:30:00Z',
  'America/Los_Angeles': '2027-03-10T04:30:00Z',
};

test('a marketer imports contacts, builds a segment and sees the campaign preview the rules give', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  // The flow, approved and activated (the author submits, a reviewer with two-factor decides).
  expect((await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { document: FLOW } })).status()).toBe(201);
  const submitted = await page.request.post(`/api/flows/${FLOW_ID}/versions`, { headers: fromApp(testInfo), data: {} });
  expect(submitted.status()).toBe(201);
  const versionId = ((await submitted.json()) as { version: { id: string } }).version.id;
  const reviewer = await browser.newContext({ storageState: storageStateOf('reviewer') });
  const report = (await (await reviewer.request.get(`/api/versions/${versionId}`)).json()) as { report: { warnings: { key: string }[] } };
  const reviewed = await reviewer.request.post(`/api/versions/${versionId}/review`, {
    headers: fromApp(testInfo),
    data: {
      decision: 'approved',
      comment: 'Marketing behind a consent check.',
      acknowledgedWarnings: report.report.warnings.map((w) => w.key),
    },
  });
  expect(reviewed.status()).toBe(201);
  expect((await reviewer.request.post(`/api/versions/${versionId}/activate`, { headers: fromApp(testInfo), data: {} })).status()).toBe(200);
  await reviewer.close();

  // The owner pauses marketing to Louisiana.
  const owner = await browser.newContext({ storageState: storageStateOf('owner') });
  expect(
    (await owner.request.patch('/api/settings', { headers: fromApp(testInfo), data: { pausedMarketingStates: ['LA'] } })).status(),
  ).toBe(200);

  try {
    const tag = `spring-${Math.floor(Math.random() * 1e6)}`;
    const digits = String(1000 + Math.floor(Math.random() * 9000));
    const consent = 'marketing,Acme Dental: reply YES for offers. Reply STOP to opt out.,2026-01-05T15:00:00Z,web';
    const contacts = [
      { phone: `+1212555${digits}`, zone: 'America/New_York', state: 'NY', consent: true },
      { phone: `+1305555${digits}`, zone: 'America/New_York', state: 'FL', consent: true },
      { phone: `+1312555${digits}`, zone: 'America/Chicago', state: 'IL', consent: true },
      { phone: `+1504555${digits}`, zone: 'America/Chicago', state: 'LA', consent: true },
      { phone: `+1214555${digits}`, zone: 'America/Chicago', state: 'TX', consent: false },
      { phone: `+1303555${digits}`, zone: 'America/Denver', state: 'CO', consent: true },
      { phone: `+1415555${digits}`, zone: 'America/Los_Angeles', state: 'CA', consent: true },
      { phone: `+1650555${digits}`, zone: 'America/Los_Angeles', state: 'CA', consent: false },
    ];
    const csv = [
      'phone,zone,state,tags,attr.amount,consent_purpose,consent_text,consent_at,consent_channel',
      ...contacts.map((c) => `${c.phone},${c.zone},${c.state},${tag},20%,${c.consent ? consent : ',,,'}`),
    ];

    // What the rules say for each contact at 20:30 in their zone (no consent: the flow's consent check ends the run).
    const expected = { send: 0, hold: 0, block: 0 };
    for (const c of contacts) {
      if (!c.consent) {
        expected.block += 1;
        continue;
      }
      // The rules as `optline check-send` applies them (the same evaluateSend); it has no paused-states option: LA is paused above.
      const args = ['--phone', c.phone, '--purpose', 'marketing', '--at', AT[c.zone]!, '--zone', c.zone, '--state', c.state];
      const out = execFileSync('npx', ['tsx', 'lib/cli/main.ts', 'check-send', ...args, '--consent', 'granted', '--json'], {
        encoding: 'utf8',
      });
      const d = c.state === 'LA' ? { verdict: 'block' } : (JSON.parse(out) as { verdict: string });
      expected[d.verdict === 'allow' ? 'send' : d.verdict === 'defer' ? 'hold' : 'block'] += 1;
    }
    expect(expected.hold).toBeGreaterThan(0);

    await page.goto('/contacts');
    await page.getByLabel('…or paste the CSV').fill(csv.join('\n'));
    await page.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByText(/^Imported: 8 new contacts/)).toBeVisible({ timeout: 30_000 });

    // The segment: everyone with the tag.
    await page.goto('/segments');
    const builder = page.getByRole('form', { name: 'Segment' });
    await builder.getByLabel('Name').fill(`Spring ${tag}`);
    await builder.getByLabel('Filter on').selectOption('tag');
    await builder.getByLabel('Tag', { exact: true }).fill(tag);
    await expect(builder.getByTestId('segment-count')).toHaveText('8', { timeout: 15_000 });
    await builder.getByRole('button', { name: 'Save segment' }).click();
    await expect(page.getByRole('heading', { name: `Spring ${tag}` })).toBeVisible();

    // The campaign at 20:30 in each contact's own zone, previewed.
    await page.getByRole('link', { name: 'Start a campaign with it' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name').fill(`Spring promo ${tag}`);
    await form.getByLabel('Flow').selectOption(FLOW_ID);
    await form.getByRole('group', { name: 'When' }).getByRole('radio').nth(1).check();
    await form.getByLabel('Local time').fill('20:30');
    await form.getByLabel('Date').fill('2027-03-09');
    await form.getByLabel('Run variables from attributes').fill('amount=amount');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await expect(page.getByTestId('campaign-status')).toHaveText('draft');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(page.getByTestId('preview-send')).toHaveText(String(expected.send), { timeout: 30_000 });
    await expect(page.getByTestId('preview-hold')).toHaveText(String(expected.hold));
    await expect(page.getByTestId('preview-block')).toHaveText(String(expected.block));
    await expect(page.getByText(/state-paused/)).toBeVisible();
    await expect(page.getByText(/consent-required/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Launch to 8 contacts' })).toBeVisible();
    const csvLink = page.getByRole('link', { name: /Download the blocked contacts/ });
    const blocked = await (await page.request.get((await csvLink.getAttribute('href'))!)).text();
    expect(blocked.trim().split('\r\n')).toHaveLength(1 + expected.block);
    await snapshot(page, testInfo, 'campaign-preview');
    if (process.env.E2E_DOC_SCREENSHOTS) await page.screenshot({ path: 'docs/campaign-preview.png', fullPage: true });
  } finally {
    await owner.request.patch('/api/settings', { headers: fromApp(testInfo), data: { pausedMarketingStates: [] } });
    await owner.close();
  }
});
