/**
 * Installed before the page's scripts: stands in for React's developer tools,
 * whose hook React calls with each committed tree (in production builds too).
 * While `__renders.on`, it counts the step cards and connections whose
 * component ran in a commit (React marks such a fiber PerformedWork; a fiber
 * React skipped keeps the mark of an earlier commit, so each fiber object is
 * counted once until its alternate is rendered in its place), and those
 * newly mounted (scrolled into view) apart; `__workerAnswers` counts the
 * messages the page's Web Workers sent back (the analysis worker's answers).
 * Shared by bench/editor.ts and e2e/canvas-renders.spec.ts.
 */
export const RENDER_COUNTER = `(() => {
  const counted = new WeakSet();
  const renders = { on: false, nodes: {}, edges: {}, mounted: 0, components: 0, commits: 0 };
  window.__renders = renders;
  const PERFORMED_WORK = 1;
  const visit = (root) => {
    const stack = [root];
    while (stack.length > 0) {
      const f = stack.pop();
      if (f.sibling) stack.push(f.sibling);
      if (f.child) stack.push(f.child);
      if (f.alternate) counted.delete(f.alternate);
      const component = f.tag === 0 || f.tag === 1 || f.tag === 11 || f.tag === 14 || f.tag === 15;
      if (!component || (f.flags & PERFORMED_WORK) === 0 || counted.has(f)) continue;
      counted.add(f);
      if (!renders.on) continue;
      renders.components++;
      const p = f.memoizedProps;
      if (!p || !p.data) continue;
      const kind = p.data.node && 'positionAbsoluteX' in p ? 'nodes' : p.data.edge && 'sourceX' in p ? 'edges' : null;
      if (!kind) continue;
      if (!f.alternate) renders.mounted++;
      else renders[kind][p.id] = (renders[kind][p.id] || 0) + 1;
    }
  };
  window.__workerAnswers = 0;
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => window.__workerAnswers++);
    }
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    isDisabled: false,
    inject: () => 1,
    checkDCE: () => undefined,
    onScheduleFiberRoot: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onCommitFiberRoot: (_id, root) => {
      if (renders.on) renders.commits++;
      visit(root.current);
    },
  };
})()`;
