import type pg from 'pg';
import { z } from 'zod';
import { actorRef, can, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { recordOutboundEvents } from '@/lib/db/outbound-event-repository';
import { flowRepository, type FlowVersion, type FlowVersionStatus } from '@/lib/db/flow-repository';
import { withTransaction, type Queryable } from '@/lib/db/queryable';
import { reviewRepository, type Review } from '@/lib/db/review-repository';
import { verdictRepository } from '@/lib/db/verdict-repository';
import type { AnalysisReport } from '@/lib/flow/analysis-report';
import { analysisReport, unacknowledgedWarnings } from '@/lib/flow/analysis-report';
import { compileFlow, type FlowMachineConfig } from '@/lib/flow/compile';
import { diffFlows, type FlowDiff } from '@/lib/flow/diff';
import { parseFlow } from '@/lib/flow/parse';
import { describeProblems } from '@/lib/flow/problem-text';
import type { FlowDocument } from '@/lib/flow/schema';
import { AppError } from '@/lib/app-error';
import { approvalVerdict, currentBinding, reportHash, type GateVerdict } from '@/lib/runtime/approval-gate';
import { problemDetails } from './problem-details';

/** The body of POST /api/versions/:id/review. */
export const reviewBody = z.strictObject({
  decision: z.enum(['approved', 'rejected'], { error: 'must be "approved" or "rejected"' }),
  comment: z.string().max(4000, { error: 'is longer than 4,000 characters' }).optional(),
  acknowledgedWarnings: z.array(z.string().max(300), { error: 'must be the list of warning keys you acknowledge' }).max(10_000).default([]),
});

/** A version as the API shows it (without its content). */
export interface PublicVersion {
  id: string;
  flowId: string;
  version: number;
  status: FlowVersionStatus;
  contentHash: string;
  createdBy: string;
  createdAt: string;
  statusChangedAt: string;
}

/** What happened on a submission. */
export type SubmitOutcome = 'created' | 'resubmitted' | 'unchanged';

/** Whether the calling actor may approve or reject a version, and why not. */
export interface CanDecide {
  ok: boolean;
  reason?: string;
}

/** Everything the review page shows. */
export interface VersionDetail {
  version: PublicVersion & { content: Record<string, unknown> };
  flow: { id: string; name: string };
  /** The analyzer's report under the current analyzer (null when the stored JSON is no longer a valid flow). */
  report: AnalysisReport | null;
  /** Why the stored JSON is not a valid flow, if it is not. */
  problems: { path?: string; message: string }[];
  /** The version compared with the flow's last approved (or active, paused) one; `base` null when there is none. */
  diff: { base: PublicVersion | null; before: FlowDocument | null; changes: FlowDiff } | null;
  machine: FlowMachineConfig | null;
  reviews: PublicReview[];
  /** Who wrote the version (its submitters and everyone who saved the draft since the last approved version): none of them may decide on it. */
  authors: string[];
  canDecide: CanDecide;
  /** For a version that was approved: whether its approval still holds (it may be activated and run). */
  binding: GateVerdict | null;
}

/** A review as the API shows it. */
export type PublicReview = Omit<Review, 'flowVersionId' | 'contentHash' | 'createdAt' | 'byAuthor'> & { createdAt: string };

const APPROVED_STATUSES: readonly FlowVersionStatus[] = ['approved', 'active', 'paused'];

/** Submission, review, activation and pausing of flow versions; errors are AppErrors; every change is audited in its transaction. */
export function versionService(pool: pg.Pool) {
  const mustLock = async (tx: Queryable, id: string): Promise<FlowVersion> => {
    const version = await flowRepository(tx).lockVersion(id);
    if (!version) throw new AppError('not_found', `there is no flow version "${id}"`, { path: 'versionId' });
    return version;
  };

  const audit = (tx: Queryable, actor: Actor, action: string, version: FlowVersion, details: Record<string, unknown> = {}) =>
    recordAudit(tx, {
      actor: actorRef(actor),
      action,
      subjectType: 'flow_version',
      subjectId: version.id,
      details: { flowId: version.flowId, version: version.version, contentHash: version.contentHash, ...details },
    });

  return {
    /** A flow's versions, newest first. */
    async list(flowId: string): Promise<{ flow: { id: string; name: string }; versions: PublicVersion[] }> {
      const flows = flowRepository(pool);
      const flow = await flows.getFlow(flowId);
      if (!flow) throw new AppError('not_found', `there is no flow "${flowId}"`, { path: 'id' });
      return { flow: { id: flow.id, name: flow.name }, versions: (await flows.listVersions(flowId)).map(publicVersion) };
    },

    /**
     * Freezes the flow's draft as a submitted version. A draft with analyzer
     * errors is refused (422, each error named by its step): it could never be
     * approved. Warnings go to the reviewer, who must acknowledge each. The
     * same content as an existing version reuses it: a rejected one (or one
     * whose approval no longer holds) goes back to review; otherwise nothing
     * changes. Each submission records the analyzer's verdict (analyzer
     * version, error and warning counts, report hash) in its transaction.
     */
    async submit(flowId: string, actor: Actor): Promise<{ version: PublicVersion; outcome: SubmitOutcome; message: string }> {
      const flow = await flowRepository(pool).getFlow(flowId);
      if (!flow) throw new AppError('not_found', `there is no flow "${flowId}"`, { path: 'id' });
      const parsed = parseFlow(flow.draft);
      if (!parsed.ok) {
        const n = parsed.problems.length;
        throw new AppError('invalid_flow', `the draft cannot be submitted: ${n} problem${n === 1 ? '' : 's'} to fix first`, {
          details: problemDetails(parsed.problems),
        });
      }
      if (parsed.flow.id !== flowId) {
        throw new AppError('invalid_flow', `the draft's id "${parsed.flow.id}" is not this flow's id "${flowId}"`, {
          path: 'id',
          details: [{ path: 'id', message: `must be "${flowId}"` }],
        });
      }
      const report = analysisReport(parsed.flow);
      if (report.errors.length > 0) {
        const n = report.errors.length;
        throw new AppError(
          'unprocessable',
          `the draft cannot be submitted: it has ${n} compliance error${n === 1 ? '' : 's'}, and a version with errors can never be approved. Fix ${n === 1 ? 'it' : 'them'} in the editor first`,
          {
            details: describeProblems(parsed.flow, report.errors).map((t, i) => ({
              path: report.errors[i]!.key,
              message: `${t.where}: ${t.sentence}`,
            })),
          },
        );
      }
      const warned = report.warnings.length;
      const forReviewer =
        warned === 0 ? '' : `, with ${warned} warning${warned === 1 ? '' : 's'} the reviewer must acknowledge before approving`;
      const recordVerdict = (tx: Queryable, v: FlowVersion) =>
        verdictRepository(tx).record({
          flowVersionId: v.id,
          contentHash: v.contentHash,
          analyzerVersion: report.analyzerVersion,
          errorCount: report.errors.length,
          warningCount: warned,
          reportHash: reportHash(report),
        });
      return withTransaction(pool, async (tx) => {
        const flows = flowRepository(tx);
        const submitted = await flows.submitVersion(flowId, parsed.flow as unknown as Record<string, unknown>, actor.userId);
        if (submitted.created) {
          const v = submitted.version;
          await recordVerdict(tx, v);
          await audit(tx, actor, 'version.submitted', v, { outcome: 'created' });
          return {
            version: publicVersion(v),
            outcome: 'created' as const,
            message: `Version ${v.version} is submitted for review${forReviewer}.`,
          };
        }
        const existing = await mustLock(tx, submitted.version.id);
        let again: string | undefined;
        if (existing.status === 'rejected' || existing.status === 'draft')
          again = `this content is version ${existing.version}, which was ${existing.status}`;
        else if (APPROVED_STATUSES.includes(existing.status)) {
          const verdict = approvalVerdict(existing, await reviewRepository(tx).latestApproval(existing.id));
          if (!verdict.ok) again = `this content is version ${existing.version}, whose approval no longer holds (${verdict.reason})`;
        }
        if (again === undefined) {
          return {
            version: publicVersion(existing),
            outcome: 'unchanged' as const,
            message: `This content is already version ${existing.version} (${existing.status}): there is nothing new to review.`,
          };
        }
        const moved = (await flows.setVersionStatus(existing.id, 'submitted', [existing.status]))!;
        await flows.attachAuthors(moved.id, actor.userId);
        await recordVerdict(tx, moved);
        await audit(tx, actor, 'version.submitted', moved, { outcome: 'resubmitted', previousStatus: existing.status });
        return {
          version: publicVersion(moved),
          outcome: 'resubmitted' as const,
          message: `${capitalize(again)}: it is submitted for review again${forReviewer}.`,
        };
      });
    },

    /** The review page's data for the calling actor. */
    async detail(versionId: string, actor: Actor): Promise<VersionDetail> {
      const flows = flowRepository(pool);
      const version = await flows.getVersion(versionId);
      if (!version) throw new AppError('not_found', `there is no flow version "${versionId}"`, { path: 'versionId' });
      const flow = (await flows.getFlow(version.flowId))!;
      const reviews = await reviewRepository(pool).listReviews(version.id);
      const now = currentBinding(version.content);
      const baseVersion = await flows.lastApprovedVersion(version.flowId, version.id);
      const baseParsed = baseVersion ? parseFlow(baseVersion.content) : undefined;
      const before = baseParsed?.ok ? baseParsed.flow : null;
      const approval = [...reviews].reverse().find((r) => r.decision === 'approved');
      const authors = await flows.versionAuthors(version.id);
      return {
        version: { ...publicVersion(version), content: version.content },
        flow: { id: flow.id, name: flow.name },
        report: now.ok ? now.report : null,
        problems: now.ok ? [] : now.problems.map((p) => ({ ...(p.path ? { path: p.path } : {}), message: p.message })),
        diff: now.ok ? { base: baseVersion ? publicVersion(baseVersion) : null, before, changes: diffFlows(before, now.flow) } : null,
        machine: now.ok ? compileFlow(now.flow) : null,
        reviews: reviews.map(publicReview),
        authors,
        canDecide: canDecide(actor, version, authors),
        binding: APPROVED_STATUSES.includes(version.status) ? approvalVerdict(version, approval) : null,
      };
    },

    /**
     * Approves or rejects a submitted version. No author (its submitter, or
     * anyone who saved the draft since the last approved version) can ever
     * decide on it; a version with analyzer errors is never approved;
     * an approval needs every warning acknowledged and records its binding.
     */
    async decide(
      versionId: string,
      actor: Actor,
      body: z.infer<typeof reviewBody>,
    ): Promise<{ version: PublicVersion; review: PublicReview }> {
      const comment = body.comment?.trim() || null;
      return withTransaction(pool, async (tx) => {
        const version = await mustLock(tx, versionId);
        const authorship = authorshipOf(actor, version, await flowRepository(tx).versionAuthors(version.id));
        if (authorship) {
          throw new AppError('forbidden', `${authorship}: an author can never approve or reject it; another reviewer must decide`);
        }
        if (version.status !== 'submitted') {
          throw new AppError(
            'conflict',
            `version ${version.version} is ${version.status}: only a submitted version can be approved or rejected`,
          );
        }
        if (body.decision === 'rejected' && comment === null) {
          throw new AppError('validation_failed', 'comment: say why the version is rejected', { path: 'comment' });
        }
        const now = currentBinding(version.content);
        let binding: { analyzerVersion: string; reportHash: string } | null = now.ok ? now.binding : null;
        let acknowledged: string[] = [];
        if (body.decision === 'approved') {
          if (!now.ok) {
            throw new AppError(
              'unprocessable',
              `version ${version.version} is not a valid flow under the current schema: it cannot be approved`,
              {
                details: now.problems.map((p) => ({ ...(p.path ? { path: p.path } : {}), message: p.message })),
              },
            );
          }
          const { errors } = now.report;
          if (errors.length > 0) {
            throw new AppError(
              'unprocessable',
              `version ${version.version} has ${errors.length} analyzer error${errors.length === 1 ? '' : 's'}: a version with errors can never be approved`,
              {
                details: errors.map((p) => ({ path: p.key, message: p.message })),
              },
            );
          }
          const keys = new Set(now.report.warnings.map((w) => w.key));
          const unknown = body.acknowledgedWarnings.filter((k) => !keys.has(k));
          if (unknown.length > 0) {
            throw new AppError(
              'unprocessable',
              `acknowledgedWarnings: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a warning' : 'are not warnings'} of this version (reload the page)`,
              {
                path: 'acknowledgedWarnings',
                details: unknown.map((k) => ({ path: 'acknowledgedWarnings', message: `"${k}" is not a warning of this version` })),
              },
            );
          }
          const missing = unacknowledgedWarnings(now.report, body.acknowledgedWarnings);
          if (missing.length > 0) {
            const byKey = new Map(now.report.warnings.map((w) => [w.key, w]));
            throw new AppError(
              'unprocessable',
              `acknowledge every warning before approving: ${missing.length} not acknowledged (${missing.join(', ')})`,
              {
                path: 'acknowledgedWarnings',
                details: missing.map((k) => ({ path: 'acknowledgedWarnings', message: `${k}: ${byKey.get(k)!.message}` })),
              },
            );
          }
          acknowledged = [...new Set(body.acknowledgedWarnings)];
          binding = now.binding;
        }
        const review = await reviewRepository(tx).addReview({
          flowVersionId: version.id,
          contentHash: version.contentHash,
          reviewer: actor.userId,
          decision: body.decision,
          comment,
          analyzerVersion: binding?.analyzerVersion ?? null,
          reportHash: binding?.reportHash ?? null,
          acknowledgedWarnings: acknowledged,
        });
        const moved = (await flowRepository(tx).setVersionStatus(version.id, body.decision, ['submitted']))!;
        if (body.decision === 'approved') {
          await recordOutboundEvents(tx, [
            {
              type: 'version.approved',
              data: { versionId: moved.id, flowId: moved.flowId, version: moved.version, reviewId: review.id },
            },
          ]);
        }
        await audit(tx, actor, body.decision === 'approved' ? 'version.approved' : 'version.rejected', moved, {
          comment,
          reviewId: review.id,
          analyzerVersion: review.analyzerVersion,
          reportHash: review.reportHash,
          acknowledgedWarnings: acknowledged,
        });
        return { version: publicVersion(moved), review: publicReview(review) };
      });
    },

    /**
     * Makes an approved (or paused) version its flow's active one, after
     * re-checking its approval binding; the version active before is paused
     * (its runs finish on it).
     */
    async activate(versionId: string, actor: Actor): Promise<{ version: PublicVersion; paused: PublicVersion[] }> {
      return withTransaction(pool, async (tx) => {
        const version = await mustLock(tx, versionId);
        if (version.status === 'active') throw new AppError('conflict', `version ${version.version} is already active`);
        if (version.status !== 'approved' && version.status !== 'paused') {
          throw new AppError('conflict', `version ${version.version} is ${version.status}: only an approved version can be activated`);
        }
        const verdict = approvalVerdict(version, await reviewRepository(tx).latestApproval(version.id));
        if (!verdict.ok) throw new AppError('conflict', `version ${version.version} needs review again: ${verdict.reason}`);
        const { version: active, paused } = (await flowRepository(tx).activateVersion(version.id))!;
        await recordOutboundEvents(tx, [
          { type: 'version.activated', data: { versionId: active.id, flowId: active.flowId, version: active.version } },
        ]);
        await audit(tx, actor, 'version.activated', active, { previousStatus: version.status, paused: paused.map((p) => p.id) });
        for (const p of paused) await audit(tx, actor, 'version.paused', p, { reason: `replaced by version ${active.version}` });
        return { version: publicVersion(active), paused: paused.map(publicVersion) };
      });
    },

    /** Pauses the active version: no new runs start on it; runs under way finish. */
    async pause(versionId: string, actor: Actor): Promise<{ version: PublicVersion }> {
      return withTransaction(pool, async (tx) => {
        const version = await mustLock(tx, versionId);
        if (version.status !== 'active')
          throw new AppError('conflict', `version ${version.version} is ${version.status}: only the active version can be paused`);
        const paused = (await flowRepository(tx).setVersionStatus(version.id, 'paused', ['active']))!;
        await audit(tx, actor, 'version.paused', paused, { reason: 'paused by hand' });
        return { version: publicVersion(paused) };
      });
    },
  };
}

export type VersionService = ReturnType<typeof versionService>;

/** Whether an actor may decide on a version now, and if not, why (the server enforces the same rules in `decide`). */
export function canDecide(
  actor: Actor,
  version: Pick<FlowVersion, 'createdBy' | 'status' | 'version'>,
  authors: readonly string[],
): CanDecide {
  if (!can(actor, 'reviews.decide')) return { ok: false, reason: `the ${actor.role} role cannot approve or reject versions` };
  const authorship = authorshipOf(actor, version, authors);
  if (authorship) return { ok: false, reason: `${authorship}: another reviewer must approve or reject it` };
  if (version.status !== 'submitted')
    return { ok: false, reason: `version ${version.version} is ${version.status}: only a submitted version can be approved or rejected` };
  return { ok: true };
}

/** Why the actor is an author of the version ("you submitted version 3", …), or undefined when they are not. */
export function authorshipOf(
  actor: Actor,
  version: Pick<FlowVersion, 'createdBy' | 'version'>,
  authors: readonly string[],
): string | undefined {
  if (version.createdBy === actor.userId) return `you submitted version ${version.version}`;
  if (authors.includes(actor.userId))
    return `you are an author of version ${version.version}: you changed its draft since the last approved version, or submitted it`;
  return undefined;
}

/** A version as the API shows it (without its content). */
export function publicVersion(v: FlowVersion): PublicVersion {
  return {
    id: v.id,
    flowId: v.flowId,
    version: v.version,
    status: v.status,
    contentHash: v.contentHash,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    statusChangedAt: v.statusChangedAt.toISOString(),
  };
}

function publicReview(r: Review): PublicReview {
  return {
    id: r.id,
    reviewer: r.reviewer,
    decision: r.decision,
    comment: r.comment,
    analyzerVersion: r.analyzerVersion,
    reportHash: r.reportHash,
    acknowledgedWarnings: r.acknowledgedWarnings,
    createdAt: r.createdAt.toISOString(),
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
