import { execFileSync } from 'node:child_process';
import { expect, fromApp, snapshot, test } from './helpers';
import { storageStateOf } from './people';

/**
 * Issue 19: a marketer imports contacts across four time zones (some without
 * marketing consent, one in a state where the owner paused marketing), builds
 * a segment, and previews a campaign at 20:30 in each contact's own zone: the
 * numbers per outcome are those the send-time rules give for each contact.
 * Then, on the sandbox clock (e2e/serve.ts turns it on) at 20:30 Eastern, a
 * campaign launched "now": the sandbox phone shows the texts sent, the held
 * ones wait for 08:00 in their zone, the blocked ones get nothing.
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

// The launch: Tuesday 9 March 2027, 20:30 in New York (EST), on the sandbox clock.
const LAUNCH = { at: '2027-03-09T20:30', zone: 'America/New_York', instant: '2027-03-10T01:30:00Z' };

type Outcome = 'send' | 'hold' | 'block';
type Contact = { phone: string; zone: string; state: string; consent: boolean };

/** What the rules say for each contact at `at(zone)` (no consent: the flow's consent check ends the run), with the counts per outcome. */
function outcomesAt(contacts: Contact[], at: (zone: string) => string): { counts: Record<Outcome, number>; of: Map<string, Outcome> } {
  const counts = { send: 0, hold: 0, block: 0 };
  const of = new Map<string, Outcome>();
  for (const c of contacts) {
    let outcome: Outcome = 'block';
    // The rules as `optline check-send` applies them (the same evaluateSend); it has no paused-states option: the owner paused LA.
    if (c.consent && c.state !== 'LA') {
      const args = ['--phone', c.phone, '--purpose', 'marketing', '--at', at(c.zone), '--zone', c.zone, '--state', c.state];
      const out = execFileSync('npx', ['tsx', 'lib/cli/main.ts', 'check-send', ...args, '--consent', 'granted', '--json'], {
        encoding: 'utf8',
      });
      const { verdict } = JSON.parse(out) as { verdict: string };
      outcome = verdict === 'allow' ? 'send' : verdict === 'defer' ? 'hold' : 'block';
    }
    counts[outcome] += 1;
    of.set(c.phone, outcome);
  }
  return { counts, of };
}

test('a marketer imports contacts, builds a segment, previews, and launches at 20:30 Eastern on the sandbox clock', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(360_000);
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
    const contacts: Contact[] = [
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

    // What the rules say for each contact at 20:30 in their zone.
    const expected = outcomesAt(contacts, (zone) => AT[zone]!).counts;
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
    const segmentPage = page.url();

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

    // The owner sets the sandbox clock to 20:30 Eastern on that Tuesday, on the sandbox page.
    const launch = outcomesAt(contacts, () => LAUNCH.instant);
    expect(launch.counts.hold).toBeGreaterThan(0);
    expect(launch.counts.send).toBeGreaterThan(0);
    const ownerPage = await owner.newPage();
    await ownerPage.goto('/sandbox');
    const clock = ownerPage.getByRole('form', { name: 'Set the sandbox clock' });
    await clock.getByLabel('Time').fill(LAUNCH.at);
    await clock.getByLabel('Zone').fill(LAUNCH.zone);
    await clock.getByRole('button', { name: 'Set the clock' }).click();
    // The browser reads Chicago time: 19:30 CST is 20:30 EST.
    await expect(ownerPage.getByTestId('sandbox-clock-now')).toHaveText(/^Mar 9, 2027, 19:3\d CST$/);
    await expect(ownerPage.getByTestId('sandbox-clock-state')).toContainText('set');
    const read = (await (await page.request.get('/api/sandbox/clock')).json()) as { clock: { now: string; isSet: boolean } };
    expect(read.clock.isSet).toBe(true);
    expect(Math.abs(Date.parse(read.clock.now) - Date.parse(LAUNCH.instant))).toBeLessThan(120_000);

    // The marketer's campaign for the same segment, "now": previewed at the clock's time, then launched.
    await page.goto(segmentPage);
    await page.getByRole('link', { name: 'Start a campaign with it' }).click();
    const now = page.getByRole('form', { name: 'New campaign' });
    await now.getByLabel('Name').fill(`Spring promo now ${tag}`);
    await now.getByLabel('Flow').selectOption(FLOW_ID);
    await now.getByRole('group', { name: 'When' }).getByRole('radio').nth(0).check();
    await now.getByLabel('Run variables from attributes').fill('amount=amount');
    await now.getByRole('button', { name: 'Create draft' }).click();
    await expect(page.getByTestId('campaign-status')).toHaveText('draft');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect(page.getByTestId('preview-send')).toHaveText(String(launch.counts.send), { timeout: 30_000 });
    await expect(page.getByTestId('preview-hold')).toHaveText(String(launch.counts.hold));
    await expect(page.getByTestId('preview-block')).toHaveText(String(launch.counts.block));
    await page.getByRole('button', { name: 'Launch to 8 contacts' }).click();
    await expect(page.getByTestId('campaign-status')).toHaveText(/enrolling|enrolled/);
    await expect(page.getByTestId('progress-enrolled')).toHaveText('8', { timeout: 60_000 });
    await expect(page.getByTestId('progress-firstTextSent')).toHaveText(String(launch.counts.send), { timeout: 60_000 });
    await expect(page.getByTestId('progress-held')).toHaveText(String(launch.counts.hold), { timeout: 30_000 });
    // When the held texts go, by the zone they wait in: 08:00 there the next morning.
    const ABBREVIATION: Record<string, string> = {
      'America/New_York': 'EST',
      'America/Chicago': 'CST',
      'America/Denver': 'MST',
      'America/Los_Angeles': 'PST',
    };
    for (const zone of new Set(contacts.filter((c) => launch.of.get(c.phone) === 'hold').map((c) => c.zone)))
      await expect(page.getByTestId('held-until')).toContainText(`until Mar 10, 2027, 08:00 ${ABBREVIATION[zone]}`);

    // The sandbox phone: the text, with the run's variable, on each phone the rules let it reach at 20:30 Eastern; nothing on the others.
    await page.goto('/sandbox');
    for (const c of contacts) {
      const phone = page.getByRole('region', { name: `Phone ${c.phone}` });
      if (launch.of.get(c.phone) === 'send') {
        await expect(phone.getByRole('list', { name: `Texts with ${c.phone}` }).getByRole('listitem')).toHaveText([
          /^Acme Dental: 20% off whitening this spring\. Reply STOP to opt out\./,
        ]);
      } else {
        await expect(phone, `${c.phone} (${c.state}) got no text`).toHaveCount(0);
      }
    }

    // Each held contact's run: its text held back until 08:00 in the contact's own zone, the next morning.
    for (const c of contacts.filter((x) => launch.of.get(x.phone) === 'hold')) {
      const found = (await (await page.request.get(`/api/contacts?q=${encodeURIComponent(c.phone)}`)).json()) as {
        contacts: { id: string }[];
      };
      expect(found.contacts).toHaveLength(1);
      await page.goto(`/contacts/${found.contacts[0]!.id}`);
      await page
        .getByRole('link', { name: /^Open the run of Spring promo/ })
        .first()
        .click();
      const held = page.getByRole('listitem').filter({ hasText: 'Text held back' });
      await expect(held).toContainText(`until Mar 10, 2027, 08:00 ${ABBREVIATION[c.zone]}`);
    }
  } finally {
    // The other specs see real time again.
    await owner.request.delete('/api/sandbox/clock', { headers: fromApp(testInfo) });
    await owner.request.patch('/api/settings', { headers: fromApp(testInfo), data: { pausedMarketingStates: [] } });
    await owner.close();
  }
});
