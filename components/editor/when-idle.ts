/**
 * Runs `task` once the browser is idle (at the latest after `timeoutMs`, when
 * given), or after 200 ms where there is no requestIdleCallback. Returns the
 * function that cancels it.
 */
export function whenIdle(task: () => void, timeoutMs?: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(task, 200);
  return () => window.clearTimeout(handle);
}
