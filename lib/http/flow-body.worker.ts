import { parentPort } from 'node:worker_threads';
import { isAppError } from '@/lib/app-error';
import type { FlowBodyReply, FlowBodyRequest } from './flow-body-thread';
import { readFlowBodyText } from './flow-body-text';

// The worker thread of flow-body-thread.ts: reads one flow body at a time and answers with the text to store or the AppError.
parentPort!.on('message', ({ id, text, kind }: FlowBodyRequest) => {
  let reply: FlowBodyReply;
  try {
    reply = { id, ok: true, text: readFlowBodyText(text, kind) };
  } catch (err) {
    reply = isAppError(err)
      ? { id, ok: false, error: err.toJSON().error }
      : { id, ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(reply);
});

// Loaded: the thread's budget for each body starts now (flow-body-thread.ts).
parentPort!.postMessage({ ready: true });
