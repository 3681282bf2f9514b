import type pg from 'pg';
import { currentBinding } from '@/lib/runtime/approval-gate';
import { contactKeys, contactRepository, type Contact, type NewContact } from '@/lib/db/contact-repository';
import { flowRepository, type FlowVersion } from '@/lib/db/flow-repository';
import { withTransaction, type Queryable } from '@/lib/db/queryable';
import { reviewRepository } from '@/lib/db/review-repository';

/** The APP_SECRET of database tests. */
export const TEST_APP_SECRET = 'optline-test-secret-0123456789abcdef';

let nextPhone = 0;

/** A phone number no other call in this test file returns (each file has its own database). */
export function uniquePhone(): string {
  return `+1212555${String(nextPhone++ % 10_000).padStart(4, '0')}`;
}

/** Creates a contact with a fresh number. */
export async function makeContact(db: Queryable, fields: Partial<NewContact> = {}): Promise<Contact> {
  return contactRepository(db, contactKeys(TEST_APP_SECRET)).createContact({ phone: uniquePhone(), ...fields });
}

/**
 * Makes a flow document live the way the console does, at repository level:
 * a new flow, its version submitted by `author`, approved by `reviewer` with
 * the binding the review service records (every warning acknowledged), then
 * activated. Refuses a document that is invalid or has analyzer errors, as an
 * approval would. Returns the active version.
 */
export async function approvedActiveVersion(
  pool: pg.Pool,
  doc: unknown,
  flowId: string,
  people: { author?: string; reviewer?: string } = {},
): Promise<FlowVersion> {
  const content = { ...(doc as Record<string, unknown>), id: flowId };
  const flows = flowRepository(pool);
  if (!(await flows.getFlow(flowId)))
    await flows.createFlow({ id: flowId, name: flowId, draft: content, savedBy: people.author ?? 'test-author' });
  const { version } = await flows.submitVersion(flowId, content, people.author ?? 'test-author');
  const now = currentBinding(version.content);
  if (!now.ok) throw new Error(`${flowId} is not a valid flow: ${now.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  if (now.report.errors.length > 0)
    throw new Error(`${flowId} cannot be approved: ${now.report.errors.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  await withTransaction(pool, async (tx) => {
    await reviewRepository(tx).addReview({
      flowVersionId: version.id,
      contentHash: version.contentHash,
      reviewer: people.reviewer ?? 'test-reviewer',
      decision: 'approved',
      comment: null,
      analyzerVersion: now.binding.analyzerVersion,
      reportHash: now.binding.reportHash,
      acknowledgedWarnings: now.report.warnings.map((w) => w.key),
    });
    await flowRepository(tx).setVersionStatus(version.id, 'approved', ['submitted']);
  });
  return (await flows.activateVersion(version.id))!.version;
}
