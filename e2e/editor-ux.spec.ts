import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { connect, expect, exportedJson, fromApp, test } from './helpers';

/**
 * Issue #18, items 1–7: a marketer builds in the editor without help. New
 * Branch outputs connect by dragging at once; the cases are a readable list
 * worked from the keyboard; every way out of unsaved edits asks; problems are
 * plain sentences with the ids under "Details"; the palette names steps by
 * what they do and can be searched; the editor works at 1024 × 700; a step
 * added from the palette takes the focus, and Tab goes on to its inspector.
 */

type Doc = {
  schemaVersion?: number;
  policy?: { brand: string };
  id: string;
  name: string;
  nodes: { id: string; type: string; label?: string; data?: unknown; position?: { x: number; y: number } }[];
  edges: { id: string; source: string; sourceHandle: string; target: string }[];
};

async function template(name: string): Promise<Doc> {
  return JSON.parse(await readFile(path.resolve(`workflows/${name}.json`), 'utf8')) as Doc;
}

async function importFlow(page: Page, testInfo: TestInfo, document: Doc): Promise<void> {
  const res = await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { document } });
  expect(res.status(), await res.text()).toBe(201);
}

/** Opens a flow's editor and waits for its canvas and first verdict. */
async function openEditor(page: Page, id: string): Promise<void> {
  await page.goto(`/flows/${id}`);
  await expect(page.locator('.react-flow__pane')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Compliance:/ })).toBeVisible();
}

/** A small flow with a Branch on the reply and two texts it could lead to, all in view. */
function branchFlow(id: string, name: string): Doc {
  return {
    schemaVersion: 1,
    id,
    name,
    policy: { brand: 'Acme Dental' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', data: { kind: 'api' }, position: { x: 0, y: 0 } },
      { id: 'check', type: 'consent.check', label: 'Consent?', data: { purpose: 'informational' }, position: { x: 0, y: 170 } },
      {
        id: 'ask',
        type: 'message.ask',
        label: 'Coming tomorrow?',
        data: { purpose: 'informational', body: 'Acme Dental: see you tomorrow at 10? Reply YES or NO.', timeout: 'P1D' },
        position: { x: 0, y: 340 },
      },
      {
        id: 'branch',
        type: 'split',
        label: 'Yes or no?',
        data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes', 'y'] }] },
        position: { x: 0, y: 530 },
      },
      {
        id: 'thanks',
        type: 'message.send',
        label: 'Thanks',
        data: { purpose: 'informational', body: 'Acme Dental: thank you, see you then.' },
        position: { x: -300, y: 760 },
      },
      {
        id: 'sorry',
        type: 'message.send',
        label: 'Sorry',
        data: { purpose: 'informational', body: 'Acme Dental: we will call you to find another time.' },
        position: { x: 300, y: 760 },
      },
      { id: 'done', type: 'end', label: 'Done', position: { x: 0, y: 990 } },
    ],
    edges: [
      { id: 'e-start', source: 'start', sourceHandle: 'next', target: 'check' },
      { id: 'e-check', source: 'check', sourceHandle: 'granted', target: 'ask' },
      { id: 'e-check-missing', source: 'check', sourceHandle: 'missing', target: 'done' },
      { id: 'e-ask', source: 'ask', sourceHandle: 'reply', target: 'branch' },
      { id: 'e-ask-timeout', source: 'ask', sourceHandle: 'timeout', target: 'done' },
    ],
  };
}

/** The document as "Export JSON" shows it. */
async function exported(page: Page): Promise<Doc> {
  return JSON.parse(await exportedJson(page)) as Doc;
}

const outputsOn = (page: Page, nodeId: string) => page.getByTestId(`node-${nodeId}`).locator('.flow-node-output > span');

test('a Branch case just added or renamed connects by dragging from its new handle, without a reload', async ({ page }, testInfo) => {
  await importFlow(page, testInfo, branchFlow('ux-branch-drag', 'Branch drag'));
  await openEditor(page, 'ux-branch-drag');
  await page.getByTestId('node-branch').click();
  await page.getByRole('button', { name: 'Add a case' }).click();
  await expect(outputsOn(page, 'branch')).toHaveText(['yes', 'case-2', 'else']);

  // A real drag from the new handle to the "Sorry" step's input.
  await connect(page, 'branch', 'case-2', 'sorry');
  await expect
    .poll(async () => (await exported(page)).edges.filter((e) => e.source === 'branch'))
    .toEqual([expect.objectContaining({ sourceHandle: 'case-2', target: 'sorry' })]);

  // Renamed, the case keeps its connection, and a renamed case with none connects from its new name.
  await page.getByTestId('node-branch').click();
  await page.getByTestId('case-1-handle').fill('maybe');
  await page.getByTestId('case-0-handle').fill('sure');
  await expect(outputsOn(page, 'branch')).toHaveText(['sure', 'maybe', 'else']);
  await connect(page, 'branch', 'sure', 'thanks');
  await expect
    .poll(async () =>
      (await exported(page)).edges
        .filter((e) => e.source === 'branch')
        .map((e) => `${e.sourceHandle}→${e.target}`)
        .sort(),
    )
    .toEqual(['maybe→sorry', 'sure→thanks']);
});

test('the Branch cases are a readable list: one row a case, added, moved and removed from the keyboard', async ({ page }, testInfo) => {
  await importFlow(page, testInfo, branchFlow('ux-branch-cases', 'Branch cases'));
  await openEditor(page, 'ux-branch-cases');
  await page.getByTestId('node-branch').click();
  const inspector = page.locator('#panel-inspect');

  // Add a case from the keyboard: focus goes to its words.
  await inspector.getByRole('button', { name: 'Add a case' }).focus();
  await page.keyboard.press('Enter');
  const words2 = inspector.getByRole('textbox', { name: 'Case 2: words' });
  await expect(words2).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('no, n, nope');
  await page.keyboard.press('Tab');
  await expect(inspector.getByRole('textbox', { name: 'Case 2: output name' })).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('no');
  await expect(outputsOn(page, 'branch')).toHaveText(['yes', 'no', 'else']);

  // Readable at the inspector's width: each control at least 100 px wide, and no label over a control.
  for (const item of await inspector.locator('.case-item').all()) {
    const controls = await boxes(item.locator('input, select'));
    const labels = await boxes(item.locator('.case-label'));
    expect(controls).toHaveLength(3);
    for (const c of controls) expect(c.width).toBeGreaterThanOrEqual(100);
    for (const c of controls) for (const l of labels) expect(overlaps(c, l), 'a label overlaps a control').toBe(false);
    for (const [i, a] of controls.entries())
      for (const b of controls.slice(i + 1)) expect(overlaps(a, b), 'two controls overlap').toBe(false);
  }

  // "Contains" instead of "is one of" keeps the words.
  await inspector.getByRole('combobox', { name: 'Case 2: if the reply' }).selectOption('contains');

  // Move the second case up from the keyboard: the order of the outputs follows, and focus stays on the moved case.
  await inspector.getByRole('button', { name: 'Move case 2 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(outputsOn(page, 'branch')).toHaveText(['no', 'yes', 'else']);
  await expect(inspector.getByRole('button', { name: 'Move case 1 down' })).toBeFocused();
  const doc = await exported(page);
  expect(doc.nodes.find((n) => n.id === 'branch')!.data).toEqual({
    on: 'reply',
    cases: [
      { handle: 'no', contains: ['no', 'n', 'nope'] },
      { handle: 'yes', equals: ['yes', 'y'] },
    ],
  });

  // Remove from the keyboard; the last case cannot be removed, and its button says why.
  await page.getByTestId('node-branch').click();
  await inspector.getByRole('button', { name: 'Remove case 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(outputsOn(page, 'branch')).toHaveText(['yes', 'else']);
  const last = inspector.getByRole('button', { name: 'Remove case 1' });
  await expect(last).toBeDisabled();
  await expect(last).toHaveAttribute('title', 'A Branch step needs at least one case');
});

test('every way out of unsaved edits asks first: the back link, the navigation, Back, signing out', async ({ page }, testInfo) => {
  await importFlow(page, testInfo, branchFlow('ux-leave', 'Leave me'));
  // Into the editor through the list, as a person would (so Back stays within the app).
  await page.goto('/flows');
  await page.getByRole('link', { name: 'Leave me', exact: true }).click();
  await page.waitForURL(/\/flows\/ux-leave$/);
  await expect(page.locator('.react-flow__pane')).toBeVisible();
  const editorUrl = page.url();

  const asked: string[] = [];
  let answer: 'accept' | 'dismiss' = 'dismiss';
  page.on('dialog', (d) => {
    asked.push(`${d.type()}: ${d.message()}`);
    void (answer === 'accept' ? d.accept() : d.dismiss());
  });

  // Nothing changed: links leave without asking. Back into the editor, then change something.
  await page.getByTestId('node-thanks').click();
  await page.getByLabel('Label on the canvas').fill('Thank you');
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');

  const stays = async (what: string) => {
    await expect.poll(() => asked.length, `${what} asks`).toBe(1);
    expect(asked.pop()).toBe('confirm: Leave this page? Your unsaved changes will be lost.');
    await expect(page).toHaveURL(editorUrl);
    await expect(page.getByTestId('node-thanks')).toContainText('Thank you');
    await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
  };

  await page.getByRole('link', { name: '← All flows' }).click();
  await stays('← All flows');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts', exact: true }).click();
  await stays('the navigation');
  await page.getByRole('link', { name: 'Versions and review' }).click();
  await stays('Versions & review');
  // The keyboard's way to follow a link asks too.
  await page.getByRole('link', { name: '← All flows' }).focus();
  await page.keyboard.press('Enter');
  await stays('Enter on a link');
  await page.evaluate(() => window.history.back());
  await stays('Back');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await stays('Sign out');

  // Said yes: the link leaves, and asks once.
  answer = 'accept';
  await page.getByRole('link', { name: '← All flows' }).click();
  await page.waitForURL(/\/flows$/);
  expect(asked).toEqual(['confirm: Leave this page? Your unsaved changes will be lost.']);
  // Nothing was saved.
  const res = await page.request.get('/api/flows/ux-leave?view=editor');
  const { draft } = (await res.json()) as { draft: Doc };
  expect(draft.nodes.find((n) => n.id === 'thanks')!.label).toBe('Thanks');
});

test('problems are plain sentences naming steps by their labels; ids, paths and rule codes wait under "Details"', async ({
  page,
}, testInfo) => {
  const doc = await template('appointment-reminder');
  Object.assign(doc, { id: 'ux-problems', name: 'Reminder with a loose end' });
  doc.edges = doc.edges.filter((e) => e.id !== 'e-clarify-timeout');
  await importFlow(page, testInfo, doc);
  await openEditor(page, 'ux-problems');

  await page.getByRole('tab', { name: /Problems/ }).click();
  const problem = page.getByTestId('problem').first();
  const shown = problem.getByRole('button');
  await expect(shown).toContainText("Step “Didn't understand”");
  await expect(shown).toContainText('is not connected');
  for (const internal of ['unconnected-output', 'clarify', 'nodes['])
    await expect(shown).not.toContainText(internal, { useInnerText: true });
  const details = problem.getByText('rule unconnected-output', { exact: false });
  await expect(details).toBeHidden();
  await problem.getByText('Details').click();
  await expect(details).toBeVisible();
  await expect(details).toContainText('step id clarify');

  // Choosing it shows the step, whose inspector says it plainly too.
  await shown.click();
  const inspector = page.locator('#panel-inspect');
  await expect(inspector.getByRole('heading', { name: 'Ask a question and wait for the reply' })).toBeVisible();
  await expect(inspector.locator('.inline-problems')).toContainText('is not connected');
  // What shows (innerText: a closed disclosure's content is not shown).
  for (const internal of ['[unconnected-output]', 'nodes[6]', 'clarify'])
    await expect(inspector).not.toContainText(internal, { useInnerText: true });
  await expect(inspector.getByText('step id clarify', { exact: false }).first()).toBeHidden();
});

test('the palette names steps by what they do and finds them by other words ("wait", "reply")', async ({ page }, testInfo) => {
  await importFlow(page, testInfo, branchFlow('ux-palette', 'Palette search'));
  await openEditor(page, 'ux-palette');
  const palette = page.getByRole('navigation', { name: 'Steps you can add' });
  await expect(palette.getByRole('button', { name: 'Ask a question and wait for the reply' })).toBeVisible();
  await expect(palette.getByTestId('palette-message.ask')).toContainText('waits for the contact to reply');

  const search = palette.getByRole('searchbox', { name: 'Search steps' });
  await search.fill('reply');
  await expect(palette.getByTestId('palette-message.ask')).toBeVisible();
  await expect(palette.getByTestId('palette-message.send')).toHaveCount(0);
  await expect(palette.getByTestId('palette-wait.delay')).toHaveCount(0);
  await search.fill('wait');
  await expect(palette.getByTestId('palette-wait.delay')).toBeVisible();
  await expect(palette.getByTestId('palette-message.ask')).toBeVisible();
  await expect(palette.getByTestId('palette-message.send')).toHaveCount(0);
  await search.fill('teleport');
  await expect(palette.getByRole('status')).toHaveText('No step matches “teleport”.');

  // Enter adds the first step found, below the selected one.
  await page.getByTestId('node-sorry').click();
  await search.fill('invoice');
  await search.press('Enter');
  await expect(page.getByTestId('node-pay-1')).toBeVisible();
  const doc = await exported(page);
  expect(doc.edges).toContainEqual(expect.objectContaining({ source: 'sorry', sourceHandle: 'sent', target: 'pay-1' }));
});

test('at 1024 × 700 the flow keeps its name, the toolbar fits, and the overview is small and can be hidden', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await importFlow(page, testInfo, branchFlow('ux-narrow', 'Appointment reminder for the north clinic'));
  await openEditor(page, 'ux-narrow');

  const title = page.locator('.toolbar-title');
  await expect(title).toBeVisible();
  const t = (await title.boundingBox())!;
  expect(t.width, "the flow's name keeps room").toBeGreaterThanOrEqual(120);
  expect(await title.evaluate((el) => (el.scrollWidth > el.clientWidth ? el.getAttribute('title') : el.textContent))).toBe(
    'Appointment reminder for the north clinic',
  );
  // Every toolbar control within the window.
  for (const b of await boxes(page.locator('.editor-toolbar').locator('a, button'))) {
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(1024);
    expect(b.y + b.height).toBeLessThanOrEqual(700);
  }

  const canvas = (await page.locator('.editor-canvas').boundingBox())!;
  expect(canvas.width, 'the canvas keeps most of the width').toBeGreaterThanOrEqual(500);
  await expect(page.locator('.react-flow__minimap')).toBeVisible();
  const m = (await page.locator('.react-flow__minimap').boundingBox())!;
  expect((m.width * m.height) / (canvas.width * canvas.height), 'the overview covers at most 6 % of the canvas').toBeLessThanOrEqual(0.06);

  await page.getByRole('button', { name: 'Hide the overview' }).click();
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show the overview' }).click();
  await expect(page.locator('.react-flow__minimap')).toBeVisible();
});

test('a step added from the palette takes the focus, and Tab goes on to its inspector', async ({ page }, testInfo) => {
  await importFlow(page, testInfo, branchFlow('ux-focus', 'Focus follows'));
  await openEditor(page, 'ux-focus');
  await page.getByTestId('node-sorry').click();

  await page.getByTestId('palette-wait.delay').focus();
  await page.keyboard.press('Enter');
  const added = page.locator('.react-flow__node[data-id="wait-1"]');
  await expect(added).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.locator('#panel-inspect').getByLabel('Label on the canvas')).toBeFocused();
  await page.keyboard.type('Give them a day');
  await expect(page.getByTestId('node-wait-1')).toContainText('Give them a day');
});

type Box = { x: number; y: number; width: number; height: number };

async function boxes(locator: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (const l of await locator.all()) {
    const b = await l.boundingBox();
    if (b) out.push(b);
  }
  return out;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
