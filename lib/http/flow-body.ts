import type { z } from 'zod';
import type { FlowText } from '@/lib/flows/flow-bodies';
import { BODY_LIMITS, type BodySpec } from './endpoint';
import { readOffThread } from './flow-body-thread';
import { FLOW_BODY_SCHEMAS, type FlowBodyKind } from './flow-body-text';

/**
 * The body spec of a route that takes a flow document (an import, a saved
 * draft): `application/json` within BODY_LIMITS.flow (FLOW_LIMITS: 10,000
 * steps, 5 MB), validated by the route's schema (which the API reference
 * shows) and returned as the JSON text to store. Reading that many steps
 * costs tens of milliseconds, so a big body is read in a worker thread
 * (flow-body-thread.ts) and only its text comes back.
 */
export function flowBody(kind: FlowBodyKind): BodySpec<FlowText> {
  return {
    kind: 'json',
    schema: FLOW_BODY_SCHEMAS[kind] as z.ZodType,
    limit: BODY_LIMITS.flow,
    read: (text) => readOffThread(text, kind),
  };
}
