/**
 * The editor's layout worker: lays out each document the editor sends
 * (lib/editor/layout.ts), telling it how far along it is, so neither Tidy up
 * nor opening a flow imported without positions holds the page's thread.
 */
import { answerLayout } from './layout-answer';
import type { LayoutRequest, LayoutResponse } from './layout-client';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
};

scope.onmessage = (event) => answerLayout(event.data, (message) => scope.postMessage(message));
