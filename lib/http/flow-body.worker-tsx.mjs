// Run from the sources (tsx, vitest), the flow-body worker thread is TypeScript: register tsx's loader, then load it.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./flow-body.worker.ts', import.meta.url).href);
