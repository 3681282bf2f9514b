import { layoutFlow } from './layout';
import type { LayoutRequest, LayoutResponse } from './layout-client';

/** The layout worker's work on one request: progress now and then, then the positions, or the error that stopped it. */
export function answerLayout(request: LayoutRequest, post: (message: LayoutResponse) => void): void {
  try {
    const { positions } = layoutFlow(request.doc, request.measured, (done) => post({ id: request.id, progress: done }));
    post({ id: request.id, positions });
  } catch (err) {
    post({ id: request.id, error: err instanceof Error ? err.message : String(err) });
  }
}
