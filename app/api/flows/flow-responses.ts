import { z } from 'zod';
import { isoTime } from '@/lib/http/openapi';

/** The answers of the /api/flows and /api/versions handlers, as the OpenAPI document describes them. */

/** A flow as the list shows it. */
export const flowSummary = z.object({
  id: z.string(),
  name: z.string(),
  nodeCount: z.number().int(),
  updatedAt: isoTime,
  createdAt: isoTime,
});

/** A flow document (docs/flow-format.md; its full JSON Schema is flow.schema.json). */
export const flowDocument = z
  .looseObject({
    schemaVersion: z.number().optional(),
    id: z.string().optional(),
    name: z.string().optional(),
    nodes: z.array(z.unknown()).optional(),
  })
  .meta({ description: 'A flow document as docs/flow-format.md describes it (its JSON Schema: flow.schema.json).' });

export const flowList = z.object({ flows: z.array(flowSummary) });
export const flowWithDraft = z.object({ flow: flowSummary, draft: flowDocument });
export const flowOnly = z.object({ flow: flowSummary });
export const editorViewBody = z.object({
  flow: flowSummary,
  draft: flowDocument,
  findings: z
    .looseObject({ valid: z.boolean() })
    .nullable()
    .meta({ description: "The analyzer's findings, or null when the draft is too big to check on the server." }),
});

/** A flow version as the API shows it. */
export const publicVersion = z.object({
  id: z.string(),
  flowId: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'submitted', 'approved', 'rejected', 'active', 'paused']),
  contentHash: z.string(),
  createdBy: z.string(),
  createdAt: isoTime,
  statusChangedAt: isoTime,
});

/** A review of a version. */
export const publicReview = z.looseObject({ id: z.string(), decision: z.string(), createdAt: isoTime });

export const versionList = z.object({ flow: z.object({ id: z.string(), name: z.string() }), versions: z.array(publicVersion) });
export const submitResult = z.object({
  version: publicVersion,
  outcome: z.enum(['created', 'resubmitted', 'unchanged']),
  message: z.string(),
});
export const versionDetail = z.object({
  version: publicVersion.extend({ content: z.record(z.string(), z.unknown()) }),
  flow: z.object({ id: z.string(), name: z.string() }),
  report: z.record(z.string(), z.unknown()).nullable(),
  problems: z.array(z.object({ path: z.string().optional(), message: z.string() })),
  diff: z.looseObject({ base: publicVersion.nullable() }).nullable(),
  machine: z.record(z.string(), z.unknown()).nullable(),
  reviews: z.array(publicReview),
  authors: z.array(z.string()),
  canDecide: z.looseObject({}),
  binding: z.looseObject({}).nullable(),
});
export const decideResult = z.object({ version: publicVersion, review: publicReview });
export const activateResult = z.object({ version: publicVersion, paused: z.array(publicVersion) });
export const pauseResult = z.object({ version: publicVersion });
