import type { FlowDocument } from '@/lib/flow/schema';
import { createFlow, dragNode, expect, exportedJson, test, verdict } from './helpers';
import { RENDER_COUNTER } from './render-counter';

interface Renders {
  on: boolean;
  nodes: Record<string, number>;
  edges: Record<string, number>;
  mounted: number;
  commits: number;
}

const renders = (page: import('@playwright/test').Page) => page.evaluate('window.__renders') as Promise<Renders>;

test("a drag re-renders only the dragged step and its connections, and the analyzer's answer re-renders no step", async ({ page }) => {
  await page.addInitScript(RENDER_COUNTER);
  await createFlow(page, { name: 'Renders e2e', template: 'pay-by-text' });
  await expect(verdict(page)).toBeVisible();
  const doc = JSON.parse(await exportedJson(page)) as FlowDocument;
  // A step with connections in and out, and steps and connections that are neither.
  const dragged = doc.nodes.find((n) => doc.edges.some((e) => e.target === n.id) && doc.edges.some((e) => e.source === n.id))!;
  const its = doc.edges.filter((e) => e.source === dragged.id || e.target === dragged.id).map((e) => e.id);
  expect(doc.nodes.length).toBeGreaterThan(3);
  expect(its.length).toBeLessThan(doc.edges.length);

  await page.evaluate('window.__renders.on = true');
  await dragNode(page, dragged.id, { x: 80, y: 40 });
  const during = await renders(page);
  expect(during.commits).toBeGreaterThan(0);
  expect(Object.keys(during.nodes)).toEqual([dragged.id]);
  expect(Object.keys(during.edges).sort()).toEqual([...its].sort());
  expect(during.mounted).toBe(0);

  // The moved flow goes to the analysis worker; once its answer has been drawn, nothing on the canvas re-rendered for it.
  const answers = (await page.evaluate('window.__workerAnswers')) as number;
  await page.evaluate('(window.__renders.nodes = {}, window.__renders.edges = {}, window.__renders.commits = 0)');
  await expect.poll(() => page.evaluate('window.__workerAnswers')).toBeGreaterThan(answers);
  await expect.poll(async () => (await renders(page)).commits).toBeGreaterThan(0);
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const after = await renders(page);
  expect(after.nodes).toEqual({});
  expect(after.edges).toEqual({});
});
