import { parentPort } from 'node:worker_threads';
import { isAppError } from '@/lib/app-error';
import type { FlowBodyReply, FlowBodyRequest } from './flow-body-thread';
import { readFlowBody } from './flow-body-text';

// The worker thread of flow-body-thread.ts: reads one flow body at a time and answers with the document's bytes to store or the AppError.
parentPort!.on('message', ({ id, body, kind }: FlowBodyRequest) => {
  let reply: FlowBodyReply;
  try {
    reply = { id, ok: true, text: readFlowBody(body, kind) };
  } catch (err) {
    reply = isAppError(err)
      ? { id, ok: false, error: err.toJSON().error }
      : { id, ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  // The document's bytes are handed over, not copied.
  parentPort!.postMessage(reply, reply.ok ? [reply.text.jsonb.buffer as ArrayBuffer] : []);
});

// Loaded: the thread's budget for each body starts now (flow-body-thread.ts).
parentPort!.postMessage({ ready: true });
