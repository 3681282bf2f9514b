/**
 * `npm run bench:editor`: the builder in Debian's Chromium with a 1,000-node
 * flow (`BENCH_EDITOR_NODES`), beside a 10-node flow measured in the same run
 * (in turns with it, so the machine's load falls on both alike). Reports
 *  - time to interactive: from navigation start until the nodes are drawn,
 *    the compliance verdict is shown and the main thread answers a frame
 *    within 50 ms (no long task still running);
 *  - frame times while dragging a node across the canvas (p50, p95, max):
 *    the main thread's work for each frame (input handling, React, style,
 *    layout, paint), read from a Chromium trace of the drag (its
 *    `AnimationFrame` spans, and the main-thread tasks inside each); the
 *    intervals between animation frames are reported too (they cannot go below
 *    the display's refresh interval, so they show dropped frames, not work);
 *  - the frames of the 1.5 s after the release, when the analyzer's answer for
 *    the moved flow is drawn: the most main-thread work one of them took;
 *  - the drag's wall time: the same 120 mouse moves from press to release
 *    (each waits until the page has taken the event), and its ratio to the
 *    10-node flow's;
 *  - what re-rendered during one more drag of each flow (outside the timed
 *    runs): the step cards and connections React rendered, counted through
 *    React's developer-tools hook, which production builds call on every
 *    commit. Only the dragged step and its connections should.
 * Builds the app and serves it on a database of its own (e2e/serve.ts),
 * asked for the page three times before the measured loads (a server in use,
 * not one that has just started). Each load is a new browser context: nothing
 * cached from the previous one.
 * A benchmark, not a test: nothing here fails on a slow machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { RENDER_COUNTER } from '@/e2e/render-counter';
import { layoutPositions } from '@/lib/editor/layout';
import { generateFlow } from './generate-flow';
import { editorSession } from './session';

const PORT = Number(process.env.BENCH_PORT ?? 3230);
const BASE = `http://localhost:${PORT}`;
const SIZE = Number(process.env.BENCH_EDITOR_NODES ?? 1_000);
/** The same-run baseline: a flow as small as a real one gets. */
const BASELINE_SIZE = 10;
const RUNS = 5;
/**
 * The step each drag takes: the one drawn nearest the canvas's centre, so the
 * drag (at most 150 px from where it starts) stays clear of the edges, where
 * React Flow would pan the canvas and draw other steps as they come into view.
 */
async function stepToDrag(page: Page): Promise<{ id: string; x: number; y: number }> {
  return (await page.evaluate(`(() => {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const cx = pane.x + pane.width / 2;
    const cy = pane.y + pane.height / 2;
    let best = null;
    for (const el of document.querySelectorAll('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
      if (!best || d < best.d) best = { d, id: el.getAttribute('data-id'), x: r.x + 60, y: r.y + 15 };
    }
    return best;
  })()`)) as { id: string; x: number; y: number };
}

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/api/setup`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the app did not start');
}

interface Load {
  ttfb: number;
  domContentLoaded: number;
  drawn: number;
  interactive: number;
}

async function timeToInteractive(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => document.querySelectorAll('.react-flow__node').length > 0 && document.querySelector('[aria-label^="Compliance:"]') !== null,
    null,
    {
      polling: 'raf',
      timeout: 60_000,
    },
  );
  const drawn = (await page.evaluate('performance.now()')) as number;
  // Interactive: a frame comes within 50 ms of asking (no long task in the way).
  // (Strings, not functions: tsx would wrap named inner functions in a helper the page lacks.)
  const interactive = (await page.evaluate(`new Promise((resolve) => {
    const probe = () => {
      const asked = performance.now();
      requestAnimationFrame(() => (performance.now() - asked < 50 ? resolve(performance.now()) : probe()));
    };
    probe();
  })`)) as number;
  const nav = (await page.evaluate(
    `(() => { const n = performance.getEntriesByType('navigation')[0]; return [n.responseStart, n.domContentLoadedEventEnd]; })()`,
  )) as [number, number];
  return { ttfb: nav[0], domContentLoaded: nav[1], drawn, interactive };
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: number | string;
  id2?: { local?: string; global?: string };
  args?: { name?: string };
}

/**
 * Main-thread work per animation frame in a Chromium trace: for each
 * `AnimationFrame` span on the renderer's main thread (from the first task
 * that led to the frame to the end of its rendering), the time its top-level
 * tasks spent inside the span.
 */
export function frameWork(events: TraceEvent[]): number[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const tasks = mine
    .filter((e) => (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.ph === 'X' && e.dur !== undefined)
    .sort((x, y) => x.ts - y.ts);
  const open = new Map<string, number>();
  const work: number[] = [];
  for (const e of mine.filter((x) => x.name === 'AnimationFrame').sort((x, y) => x.ts - y.ts)) {
    const id = String(e.id ?? e.id2?.local ?? e.id2?.global);
    if (e.ph === 'b') open.set(id, e.ts);
    else if (e.ph === 'e' && open.has(id)) {
      const start = open.get(id)!;
      open.delete(id);
      let busy = 0;
      for (const t of tasks) {
        if (t.ts >= e.ts) break;
        busy += Math.max(0, Math.min(t.ts + t.dur!, e.ts) - Math.max(t.ts, start));
      }
      work.push(busy / 1000);
    }
  }
  return work;
}

interface Drag {
  work: number[];
  intervals: number[];
  /** From pressing the mouse to releasing it, ms. */
  wall: number;
  /** Main-thread work of each frame in the 1.5 s after the release (the analyzer's answer for the moved flow lands). */
  afterRelease: number[];
}

async function dragFrames(browser: Browser, page: Page): Promise<Drag> {
  const { x, y } = await stepToDrag(page);
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__on = true;
    const tick = (t) => {
      window.__frames.push(t - window.__last);
      window.__last = t;
      if (window.__on) requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => {
      window.__last = t;
      requestAnimationFrame(tick);
    });
  })()`);
  await page.mouse.move(x, y);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] });
  const pressed = performance.now();
  await drag(page, x, y);
  const wall = performance.now() - pressed;
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  if (process.env.BENCH_TRACE) writeFileSync(process.env.BENCH_TRACE, JSON.stringify(trace));
  // After the release the analyzer checks the moved flow (in its worker) and its answer is drawn: those frames apart.
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] });
  await page.waitForTimeout(1_500);
  const answered = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const intervals = (await page.evaluate('(window.__on = false, window.__frames)')) as number[];
  return { work: frameWork(trace.traceEvents), intervals, wall, afterRelease: frameWork(answered.traceEvents) };
}

/** The drag every measurement makes: press, 120 moves in loops around where it started (within 150 px), release. */
async function drag(page: Page, x: number, y: number): Promise<void> {
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) {
    await page.mouse.move(x + Math.sin(i / 10) * 150, y + Math.sin(i / 20) * 100);
  }
  await page.mouse.up();
}

interface Renders {
  /** The dragged step's id. */
  dragged: string;
  /** Its connections' ids. */
  draggedEdges: string[];
  nodes: Record<string, number>;
  edges: Record<string, number>;
  mounted: number;
  components: number;
  commits: number;
}

/** One drag with the render counter on: what React rendered meanwhile. */
async function dragRenders(page: Page, doc: { edges: { id: string; source: string; target: string }[] }): Promise<Renders> {
  const { id: dragged, x, y } = await stepToDrag(page);
  await page.mouse.move(x, y);
  await page.evaluate('window.__renders.on = true');
  await drag(page, x, y);
  const counts = (await page.evaluate('(window.__renders.on = false, window.__renders)')) as Omit<Renders, 'dragged' | 'draggedEdges'>;
  const draggedEdges = doc.edges.filter((e) => e.source === dragged || e.target === dragged).map((e) => e.id);
  return { dragged, draggedEdges, ...counts };
}

/** "<n> of them: ids…" for a report line. */
function listed(ids: string[]): string {
  return ids.length === 0 ? 'none' : `${ids.length}: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}`;
}

interface Measured {
  size: number;
  doc: { nodes: unknown[]; edges: { id: string; source: string; target: string }[] };
  url: string;
  loads: Load[];
  frames: number[];
  intervals: number[];
  walls: number[];
  afterRelease: number[];
  renders?: Renders & { after: Omit<Renders, 'dragged' | 'draggedEdges'>; longestTaskAfter: number };
}

/** Imports a generated, laid-out flow of about `size` steps; returns its editor's address. */
async function importFlow(size: number, cookie: string): Promise<Measured> {
  const flow = generateFlow(size);
  const positions = layoutPositions(flow);
  const doc = { ...flow, id: `bench-editor-${size}`, nodes: flow.nodes.map((n) => ({ ...n, position: positions[n.id]! })) };
  const res = await fetch(`${BASE}/api/flows/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, cookie },
    body: JSON.stringify({ document: doc }),
  });
  if (res.status !== 201) throw new Error(`import failed: ${res.status} ${await res.text()}`);
  const { flow: saved } = (await res.json()) as { flow: { id: string } };
  const url = `${BASE}/flows/${saved.id}`;
  // A server that has answered before (as in use): the first requests after start compile and warm its code.
  for (let i = 0; i < 3; i++) await (await fetch(url, { headers: { cookie } })).text();
  return { size, doc, url, loads: [], frames: [], intervals: [], walls: [], afterRelease: [] };
}

/** One more load with the render counter: a drag, then 2 s after the release (the analyzer answers the moved flow meanwhile). */
async function countRenders(browser: Browser, session: Awaited<ReturnType<typeof editorSession>>, m: Measured): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, storageState: session });
  await page.addInitScript(RENDER_COUNTER);
  await page.addInitScript(`(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
  })()`);
  await timeToInteractive(page, m.url);
  await page.waitForTimeout(2_500); // the analysis worker has started and answered the opened flow
  const during = await dragRenders(page, m.doc);
  const released = (await page.evaluate('performance.now()')) as number;
  await page.evaluate(
    '(window.__renders.nodes = {}, window.__renders.edges = {}, window.__renders.mounted = 0, window.__renders.components = 0, window.__renders.commits = 0, window.__renders.on = true)',
  );
  await page.waitForTimeout(2_000);
  const after = (await page.evaluate('(window.__renders.on = false, window.__renders)')) as Omit<Renders, 'dragged' | 'draggedEdges'>;
  const tasks = (await page.evaluate('window.__longtasks')) as [number, number][];
  const longestTaskAfter = Math.max(0, ...tasks.filter(([start]) => start >= released).map(([, d]) => d));
  m.renders = { ...during, after, longestTaskAfter };
  await page.close();
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) execFileSync('npx', ['next', 'build'], { stdio: 'inherit' });
  const server = spawn('npx', ['tsx', 'e2e/serve.ts', String(PORT)], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  try {
    await waitForServer();
    const session = await editorSession(BASE);
    const cookie = session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const flows = [await importFlow(BASELINE_SIZE, cookie)];
    if (SIZE !== BASELINE_SIZE) flows.push(await importFlow(SIZE, cookie));

    // Frames are not capped at the display's 60 Hz, so a frame's time is the work it took.
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-gpu-vsync', '--disable-frame-rate-limit'],
    });
    // In turns: each run loads the small flow, then the big one.
    for (let i = 0; i < RUNS; i++) {
      for (const m of flows) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, storageState: session });
        m.loads.push(await timeToInteractive(page, m.url));
        await page.waitForTimeout(300);
        const d = await dragFrames(browser, page);
        m.frames.push(...d.work);
        m.intervals.push(...d.intervals);
        m.walls.push(d.wall);
        m.afterRelease.push(...d.afterRelease);
        await page.close();
      }
    }
    for (const m of flows) await countRenders(browser, session, m);
    await browser.close();
    if (process.env.BENCH_VERBOSE) console.log(flows.map((m) => ({ size: m.size, loads: m.loads, walls: m.walls })));

    const summary = (m: Measured) => {
      const med = (k: keyof Load) =>
        Math.round(
          percentile(
            m.loads.map((l) => l[k]),
            50,
          ),
        );
      const tti = m.loads.map((l) => l.interactive);
      const r = m.renders!;
      const otherNodes = Object.keys(r.nodes).filter((id) => id !== r.dragged);
      const otherEdges = Object.keys(r.edges).filter((id) => !r.draggedEdges.includes(id));
      return {
        nodes: m.doc.nodes.length,
        edges: m.doc.edges.length,
        'time to interactive ms (median)': Math.round(percentile(tti, 50)),
        'time to interactive ms (worst)': Math.round(Math.max(...tti)),
        'first byte ms': med('ttfb'),
        'DOMContentLoaded ms': med('domContentLoaded'),
        'nodes drawn ms': med('drawn'),
        'drag frame work ms p50': +percentile(m.frames, 50).toFixed(1),
        'drag frame work ms p95': +percentile(m.frames, 95).toFixed(1),
        'drag frame work ms max': +Math.max(...m.frames).toFixed(1),
        'drag frames': m.frames.length,
        'drag frame interval ms p95': +percentile(m.intervals, 95).toFixed(1),
        'drag wall time ms (median)': Math.round(percentile(m.walls, 50)),
        'drag: the dragged step': r.dragged,
        'drag: commits': r.commits,
        'drag: renders of the dragged step': r.nodes[r.dragged] ?? 0,
        'drag: its connections rendered': `${Object.keys(r.edges).length - otherEdges.length} of ${r.draggedEdges.length}`,
        'drag: other steps rendered': listed(otherNodes),
        'drag: other connections rendered': listed(otherEdges),
        'drag: steps/connections mounted (scrolled into view)': r.mounted,
        'after release (2 s, the analyzer answers): steps rendered': Object.keys(r.after.nodes).length,
        'after release: connections rendered': Object.keys(r.after.edges).length,
        'after release: longest main-thread task ms': Math.round(r.longestTaskAfter),
        'after release (5 loads): frame work ms max': +Math.max(0, ...m.afterRelease).toFixed(1),
      };
    };
    const results = flows.map(summary);
    const [base, big] = [results[0]!, results[results.length - 1]!];
    const ratio = +(big['drag wall time ms (median)'] / base['drag wall time ms (median)']).toFixed(2);
    console.log(`Editor in Chromium (${RUNS} loads of each flow in turns, Node ${process.version})`);
    console.table(
      Object.keys(base).map((measure) => {
        const row: Record<string, unknown> = { measure, [`${base.nodes} steps (baseline)`]: base[measure as keyof typeof base] };
        if (big !== base) row[`${big.nodes} steps`] = big[measure as keyof typeof big];
        return row;
      }),
    );
    console.log(`drag wall time, ${big.nodes} steps / ${base.nodes} steps (same run): ${ratio}×`);
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL('./results/editor.json', import.meta.url),
      `${JSON.stringify({ baseline: base, flow: big, 'drag wall time ratio': ratio }, null, 2)}\n`,
    );
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
  }
}

await main();
