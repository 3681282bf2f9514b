import { describe, expect, it } from 'vitest';
import { apiRequest } from '@/lib/http/testing/api-request';
import type { Actor, Role } from '@/lib/access/roles';
import { listAudit } from '@/lib/db/audit-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { reviewRepository } from '@/lib/db/review-repository';
import { verdictRepository } from '@/lib/db/verdict-repository';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import type { FlowDocument } from '@/lib/flow/schema';
import { payByTextDocument } from '@/lib/flow/test-fixtures';
import { currentBinding, reportHash } from '@/lib/runtime/approval-gate';
import { createServices } from '@/lib/runtime/services';
import { flowHandlers } from '@/app/api/flows/handlers';
import { versionHandlers } from './handlers';

const db = useTestDatabase();

const actor = (role: Role, userId = `u-${role}`): Actor => ({ userId, email: `${userId}@x.test`, name: userId, role, via: 'session' });
const EDITOR = actor('editor');
const REVIEWER = actor('reviewer');
const as = (who: Actor | null) => versionHandlers({ authenticate: async () => who, pool: async () => db().pool });

const post = (body: unknown = {}) => apiRequest('http://test/api', { method: 'POST', body });
const get = () => new Request('http://test/api');
const flowCtx = (id: string) => ({ params: Promise.resolve({ id }) });
const versionCtx = (versionId: string) => ({ params: Promise.resolve({ versionId }) });

/** Pay by text with an end node nothing reaches: no errors, one warning (unreachable-node:node:stray). */
function withWarning(id: string): FlowDocument {
  const doc = payByTextDocument();
  doc.id = id;
  doc.nodes.push({ id: 'stray', type: 'end', position: { x: 0, y: 0 } });
  return doc;
}

/** Pay by text with the payment link reachable before the ZIP check: an error (verify-before-pay). */
function withError(id: string): FlowDocument {
  const doc = payByTextDocument();
  doc.id = id;
  doc.edges = doc.edges.map((e) => (e.id === 'e-notice-granted' ? { ...e, target: 'pay' } : e));
  return doc;
}

async function newFlow(doc: FlowDocument): Promise<string> {
  await flowRepository(db().pool).createFlow({
    id: doc.id,
    name: doc.name,
    draft: doc as unknown as Record<string, unknown>,
    savedBy: EDITOR.userId,
  });
  return doc.id;
}

async function editDraft(doc: FlowDocument): Promise<void> {
  await flowRepository(db().pool).updateDraft(doc.id, { draft: doc as unknown as Record<string, unknown>, savedBy: EDITOR.userId });
}

async function submit(flowId: string, who: Actor = EDITOR) {
  const res = await as(who).submit(post(), flowCtx(flowId));
  return { status: res.status, body: await res.json() };
}

async function decide(versionId: string, body: object, who: Actor = REVIEWER) {
  const res = await as(who).review(post(body), versionCtx(versionId));
  return { status: res.status, body: await res.json() };
}

async function detail(versionId: string, who: Actor = REVIEWER) {
  const res = await as(who).get(get(), versionCtx(versionId));
  expect(res.status).toBe(200);
  return res.json();
}

/** Submits the draft, approves it acknowledging every warning, activates it; returns the version id. */
async function makeLive(flowId: string): Promise<string> {
  const { body } = await submit(flowId);
  const id = body.version.id as string;
  const { report } = await detail(id);
  expect(
    (await decide(id, { decision: 'approved', acknowledgedWarnings: report.warnings.map((w: { key: string }) => w.key) })).status,
  ).toBe(201);
  expect((await as(REVIEWER).activate(post(), versionCtx(id))).status).toBe(200);
  return id;
}

describe('who may do what', () => {
  it('answers 401 to nobody on every versions route', async () => {
    const flowId = await newFlow(withWarning('auth-nobody'));
    const { body } = await submit(flowId);
    const nobody = as(null);
    const responses = [
      await nobody.list(get(), flowCtx(flowId)),
      await nobody.submit(post(), flowCtx(flowId)),
      await nobody.get(get(), versionCtx(body.version.id)),
      await nobody.review(post({ decision: 'approved', acknowledgedWarnings: [] }), versionCtx(body.version.id)),
      await nobody.activate(post(), versionCtx(body.version.id)),
      await nobody.pause(post(), versionCtx(body.version.id)),
    ];
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it('lets an editor submit but not decide or activate, a reviewer decide but not submit, a developer do neither', async () => {
    const flowId = await newFlow(withWarning('auth-roles'));
    const reviewerSubmits = await submit(flowId, REVIEWER);
    expect(reviewerSubmits.status).toBe(403);
    expect(reviewerSubmits.body.error.message).toContain('flows.edit');
    expect((await submit(flowId, actor('developer'))).status).toBe(403);
    const { body } = await submit(flowId, EDITOR);
    const id = body.version.id as string;
    const editorDecides = await decide(
      id,
      { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] },
      actor('editor', 'u-other-editor'),
    );
    expect(editorDecides.status).toBe(403);
    expect(editorDecides.body.error.message).toContain('reviews.decide');
    const developerApproves = await decide(
      id,
      { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] },
      actor('developer'),
    );
    expect(developerApproves.status).toBe(403);
    expect((await as(EDITOR).activate(post(), versionCtx(id))).status).toBe(403);
    expect((await as(actor('owner')).pause(post(), versionCtx(id))).status).toBe(403);
    expect((await detail(id, EDITOR)).canDecide).toEqual({ ok: false, reason: 'the editor role cannot approve or reject versions' });
    expect((await flowRepository(db().pool).getVersion(id))!.status).toBe('submitted');
  });
});

describe('submitting a draft', () => {
  it('freezes the draft as a submitted version by its author, and reuses it for the same content', async () => {
    const flowId = await newFlow(withWarning('submit-once'));
    const first = await submit(flowId);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'created', version: { flowId, version: 1, status: 'submitted', createdBy: 'u-editor' } });
    expect(first.body.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await submit(flowId, actor('editor', 'u-second-editor'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'unchanged', version: { id: first.body.version.id, createdBy: 'u-editor' } });
    expect(again.body.message).toContain('already version 1 (submitted)');
    const audit = await listAudit(db().pool, { action: 'version.submitted', subjectId: first.body.version.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'u-editor',
      subjectType: 'flow_version',
      details: { flowId, version: 1, contentHash: first.body.version.contentHash },
    });
    const list = await (await as(actor('developer')).list(get(), flowCtx(flowId))).json();
    expect(list.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[1, 'submitted']]);
  });

  it('refuses an invalid draft with a 422 listing every problem and its path', async () => {
    const doc = withWarning('submit-invalid');
    await newFlow(doc);
    const broken = structuredClone(doc) as unknown as { nodes: { id: string; data?: Record<string, unknown> }[] };
    broken.nodes.find((n) => n.id === 'receipt')!.data!.purpose = 'sales';
    broken.nodes.find((n) => n.id === 'pay')!.data!.currency = 42;
    await editDraft(broken as unknown as FlowDocument);
    const res = await submit(doc.id);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_flow');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^nodes\[\d+\]\.data\.purpose$/),
        expect.stringMatching(/^nodes\[\d+\]\.data\.currency$/),
      ]),
    );
    expect(await flowRepository(db().pool).listVersions(doc.id)).toEqual([]);
  });

  it('refuses a draft with compliance errors with a 422 naming each error by its step, and keeps no version', async () => {
    const doc = withError('submit-errors');
    await newFlow(doc);
    const res = await submit(doc.id);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    expect(res.body.error.message).toMatch(
      /^the draft cannot be submitted: it has \d+ compliance errors?, and a version with errors can never be approved/,
    );
    const pay = doc.nodes.find((n) => n.id === 'pay')!;
    const notice = doc.nodes.find((n) => n.id === doc.edges.find((e) => e.id === 'e-notice-granted')!.source)!;
    expect(res.body.error.details).toContainEqual({
      path: 'verify-before-pay:edge:e-notice-granted',
      message: expect.stringMatching(new RegExp(`^The connection from “${notice.label}” \\(granted\\) to “${pay.label}”: `)),
    });
    for (const d of res.body.error.details) expect(d.message).not.toMatch(/"(pay|notice|verify)"/);
    expect(await flowRepository(db().pool).listVersions(doc.id)).toEqual([]);
  });

  it('tells the author how many warnings the reviewer must acknowledge', async () => {
    const flowId = await newFlow(withWarning('submit-warned'));
    const { status, body } = await submit(flowId);
    expect(status).toBe(201);
    expect(body.message).toBe('Version 1 is submitted for review, with 1 warning the reviewer must acknowledge before approving.');
  });

  it("records the analyzer's verdict with each submission: its version, the counts and the report hash the approval gate binds", async () => {
    const flowId = await newFlow(withWarning('submit-verdict'));
    const { body } = await submit(flowId);
    const id = body.version.id as string;
    const verdicts = verdictRepository(db().pool);
    const now = currentBinding((await flowRepository(db().pool).getVersion(id))!.content);
    if (!now.ok) throw new Error('the fixture is a valid flow');
    const [first, ...more] = await verdicts.listVerdicts(id);
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      flowVersionId: id,
      contentHash: body.version.contentHash,
      analyzerVersion: now.binding.analyzerVersion,
      errorCount: 0,
      warningCount: 1,
      reportHash: now.binding.reportHash,
    });
    expect((await submit(flowId, actor('editor', 'u-second-editor'))).body.outcome).toBe('unchanged');
    expect(await verdicts.listVerdicts(id)).toHaveLength(1);
    expect((await decide(id, { decision: 'rejected', comment: 'Drop the stray end.' })).status).toBe(201);
    expect((await submit(flowId)).body.outcome).toBe('resubmitted');
    const again = await verdicts.listVerdicts(id);
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ warningCount: 1, reportHash: now.binding.reportHash });
    await expect(db().pool.query('delete from flow_version_verdicts where flow_version_id = $1', [id])).rejects.toThrow(
      'flow_version_verdicts is append-only',
    );
  });

  it('returns 404 for a flow that does not exist', async () => {
    expect((await submit('no-such-flow')).status).toBe(404);
  });
});

describe('deciding on a version', () => {
  it('never lets the author approve or reject their own version, even as a reviewer', async () => {
    const flowId = await newFlow(withWarning('author-decides'));
    const { body } = await submit(flowId, actor('editor', 'u-sam'));
    const samAsReviewer = actor('reviewer', 'u-sam');
    const res = await decide(
      body.version.id,
      { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] },
      samAsReviewer,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('you submitted version 1: an author can never approve or reject it; another reviewer must decide');
    expect((await decide(body.version.id, { decision: 'rejected', comment: 'mine', acknowledgedWarnings: [] }, samAsReviewer)).status).toBe(
      403,
    );
    expect((await detail(body.version.id, samAsReviewer)).canDecide).toEqual({
      ok: false,
      reason: 'you submitted version 1: another reviewer must approve or reject it',
    });
    expect((await detail(body.version.id)).canDecide).toEqual({ ok: true });
    expect(await reviewRepository(db().pool).listReviews(body.version.id)).toEqual([]);
  });

  it('never lets an editor who wrote the draft decide on the version the owner submitted, even once made a reviewer', async () => {
    const doc = withWarning('editor-wrote-it');
    const ed = actor('editor', 'u-ed');
    const editorFlows = flowHandlers(
      async () => db().pool,
      async () => ed,
    );
    const created = await editorFlows.create(apiRequest('http://test/api/flows', { method: 'POST', body: { name: 'Editor wrote it' } }));
    const flowId = (await created.json()).flow.id as string;
    doc.id = flowId;
    const saved = await editorFlows.save(apiRequest('http://test/api', { method: 'PUT', body: { draft: doc } }), flowCtx(flowId));
    expect(saved.status).toBe(200);
    const owner = actor('owner', 'u-owner');
    const { body } = await submit(flowId, owner);
    expect(body.version.createdBy).toBe('u-owner');

    const edAsReviewer = actor('reviewer', 'u-ed');
    const approve = { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] };
    const res = await decide(body.version.id, approve, edAsReviewer);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'you are an author of version 1: you changed its draft since the last approved version, or submitted it: an author can never approve or reject it; another reviewer must decide',
    );
    expect((await decide(body.version.id, { decision: 'rejected', comment: 'mine', acknowledgedWarnings: [] }, edAsReviewer)).status).toBe(
      403,
    );
    const seenByEd = await detail(body.version.id, edAsReviewer);
    expect(seenByEd.authors).toEqual(['u-ed', 'u-owner']);
    expect(seenByEd.canDecide).toEqual({
      ok: false,
      reason:
        'you are an author of version 1: you changed its draft since the last approved version, or submitted it: another reviewer must approve or reject it',
    });
    expect(await reviewRepository(db().pool).listReviews(body.version.id)).toEqual([]);
    // Nothing approved, so nothing to activate.
    expect((await as(edAsReviewer).activate(post(), versionCtx(body.version.id))).status).toBe(409);
    // Someone who wrote none of it decides.
    expect((await decide(body.version.id, approve)).status).toBe(201);
  });

  it('binds only the authors since the last approved version: an earlier editor may review the next one', async () => {
    const doc = withWarning('authors-since-approval');
    await newFlow(doc);
    const v1 = await makeLive(doc.id);
    expect((await detail(v1)).authors).toEqual([EDITOR.userId]);
    const next = { ...doc, name: 'Changed by the owner' };
    await flowRepository(db().pool).updateDraft(doc.id, { draft: next as unknown as Record<string, unknown>, savedBy: 'u-owner' });
    const { body } = await submit(doc.id, actor('owner', 'u-owner'));
    expect((await detail(body.version.id)).authors).toEqual(['u-owner']);
    const editorAsReviewer = actor('reviewer', EDITOR.userId);
    expect(
      (await decide(body.version.id, { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] }, editorAsReviewer))
        .status,
    ).toBe(201);
  });

  it('refuses to activate a version approved by one of its authors before authors were tracked', async () => {
    const doc = withWarning('legacy-author-approval');
    await newFlow(doc);
    const { body } = await submit(doc.id, actor('owner', 'u-owner'));
    const { report } = await detail(body.version.id);
    const pool = db().pool;
    // The approval as it could be recorded before this check existed.
    await pool.query('alter table reviews disable trigger reviews_not_by_author');
    try {
      const rows = await pool.query('select content_hash from flow_versions where id = $1', [body.version.id]);
      await pool.query(
        `insert into reviews (flow_version_id, content_hash, reviewer, decision, analyzer_version, report_hash, acknowledged_warnings) values ($1, $2, $3, 'approved', $4, $5, $6)`,
        [
          body.version.id,
          rows.rows[0].content_hash,
          EDITOR.userId,
          report.analyzerVersion,
          reportHash(report),
          report.warnings.map((w: { key: string }) => w.key),
        ],
      );
    } finally {
      await pool.query('alter table reviews enable trigger reviews_not_by_author');
    }
    await pool.query(`update flow_versions set status = 'approved' where id = $1`, [body.version.id]);
    const res = await as(REVIEWER).activate(post(), versionCtx(body.version.id));
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toBe(
      `version 1 needs review again: it was approved by ${EDITOR.userId}, who submitted it or changed its draft: an author can never approve a version`,
    );
  });

  it('never approves a version with analyzer errors, and a rejection needs a comment', async () => {
    // Submitting refuses such a draft; a version stored before (or one a newer analyzer finds errors in) still reaches review.
    const doc = withError('errors-block');
    const flowId = await newFlow(doc);
    const stored = await flowRepository(db().pool).submitVersion(flowId, doc as unknown as Record<string, unknown>, EDITOR.userId);
    const id = stored.version.id;
    const view = await detail(id);
    expect(view.report.errors.map((e: { key: string }) => e.key)).toContain('verify-before-pay:edge:e-notice-granted');
    const approve = await decide(id, { decision: 'approved', acknowledgedWarnings: [] });
    expect(approve.status).toBe(422);
    expect(approve.body.error.message).toMatch(/analyzer error.*can never be approved/);
    expect(approve.body.error.details).toContainEqual(expect.objectContaining({ path: 'verify-before-pay:edge:e-notice-granted' }));
    const bare = await decide(id, { decision: 'rejected', acknowledgedWarnings: [] });
    expect(bare.status).toBe(400);
    expect(bare.body.error.path).toBe('comment');
    const rejected = await decide(id, {
      decision: 'rejected',
      comment: 'Verify the ZIP code before the payment link.',
      acknowledgedWarnings: [],
    });
    expect(rejected.status).toBe(201);
    expect(rejected.body).toMatchObject({
      version: { status: 'rejected' },
      review: { decision: 'rejected', reviewer: 'u-reviewer', comment: 'Verify the ZIP code before the payment link.' },
    });
    const audit = await listAudit(db().pool, { action: 'version.rejected', subjectId: id });
    expect(audit[0]!.details).toMatchObject({ comment: 'Verify the ZIP code before the payment link.' });

    // The same content with its errors cannot go back to review.
    const resubmitted = await submit(flowId);
    expect(resubmitted.status).toBe(422);
    expect((await flowRepository(db().pool).getVersion(id))!.status).toBe('rejected');
  });

  it('needs every warning acknowledged, then records the binding with the approval', async () => {
    const flowId = await newFlow(withWarning('warnings-ack'));
    const { body } = await submit(flowId);
    const id = body.version.id as string;
    const view = await detail(id);
    expect(view.report.warnings.map((w: { key: string }) => w.key)).toEqual(['unreachable-node:node:stray']);

    const missing = await decide(id, { decision: 'approved', acknowledgedWarnings: [] });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({
      path: 'acknowledgedWarnings',
      details: [{ path: 'acknowledgedWarnings', message: expect.stringContaining('unreachable-node:node:stray: ') }],
    });
    const unknown = await decide(id, { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray', 'made-up'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('"made-up" is not a warning');

    const approved = await decide(id, {
      decision: 'approved',
      comment: 'Stray node is harmless.',
      acknowledgedWarnings: ['unreachable-node:node:stray'],
    });
    expect(approved.status).toBe(201);
    expect(approved.body.review).toMatchObject({
      decision: 'approved',
      analyzerVersion: view.report.analyzerVersion,
      reportHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      acknowledgedWarnings: ['unreachable-node:node:stray'],
    });
    const stored = await reviewRepository(db().pool).latestApproval(id);
    expect(stored).toMatchObject({ contentHash: body.version.contentHash, analyzerVersion: view.report.analyzerVersion });
    const audit = await listAudit(db().pool, { action: 'version.approved', subjectId: id });
    expect(audit[0]).toMatchObject({
      actor: 'u-reviewer',
      details: { contentHash: body.version.contentHash, comment: 'Stray node is harmless.', reportHash: stored!.reportHash },
    });

    const twice = await decide(
      id,
      { decision: 'rejected', comment: 'changed my mind', acknowledgedWarnings: [] },
      actor('reviewer', 'u-second-reviewer'),
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('version 1 is approved: only a submitted version can be approved or rejected');
  });
});

describe('the review page data', () => {
  it('diffs against the last approved version and carries the compiled machine and the reviews', async () => {
    const doc = withWarning('review-diff');
    const flowId = await newFlow(doc);
    const v1 = await makeLive(flowId);
    const changed = structuredClone(doc);
    const receipt = changed.nodes.find((n) => n.id === 'receipt')!;
    if (receipt.type !== 'message.send') throw new Error('receipt is a text');
    const oldBody = receipt.data.body;
    receipt.data.body = 'Acme Dental: paid, thank you.';
    changed.nodes = changed.nodes.filter((n) => n.id !== 'stray');
    await editDraft(changed);
    const { body } = await submit(flowId);
    expect(body.version.version).toBe(2);
    const view = await detail(body.version.id);
    expect(view.diff.base).toMatchObject({ id: v1, version: 1, status: 'active' });
    expect(view.diff.changes.nodes).toMatchObject({ removed: ['stray'], changed: [{ id: 'receipt' }] });
    expect(view.diff.changes.changes).toContainEqual({
      path: 'nodes.receipt.data.body',
      kind: 'changed',
      before: oldBody,
      after: 'Acme Dental: paid, thank you.',
    });
    expect(view.diff.before.nodes.map((n: { id: string }) => n.id)).toContain('stray');
    expect(view.report.warnings).toEqual([]);
    expect(view.machine).toMatchObject({ id: flowId });
    expect(view.version.content).toMatchObject({ id: flowId });
    expect(view.binding).toBeNull();

    const first = await detail(v1);
    expect(first.diff.base).toBeNull();
    expect(first.reviews).toMatchObject([{ decision: 'approved', reviewer: 'u-reviewer' }]);
    expect(first.binding).toEqual({ ok: true });
  });
});

describe('activation and pausing', () => {
  it('activates only an approved version, pausing the one active before; its runs stay on it', async () => {
    const doc = withWarning('activate-two');
    const flowId = await newFlow(doc);
    const v1 = await makeLive(flowId);
    await editDraft({ ...doc, name: 'Second' });
    const { body } = await submit(flowId);
    const v2 = body.version.id as string;
    const early = await as(REVIEWER).activate(post(), versionCtx(v2));
    expect(early.status).toBe(409);
    expect((await early.json()).error.message).toBe('version 2 is submitted: only an approved version can be activated');
    expect((await decide(v2, { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] })).status).toBe(201);
    const activated = await as(REVIEWER).activate(post(), versionCtx(v2));
    expect(activated.status).toBe(200);
    expect(await activated.json()).toMatchObject({ version: { id: v2, status: 'active' }, paused: [{ id: v1, status: 'paused' }] });
    expect((await flowRepository(db().pool).listVersions(flowId)).map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'paused'],
    ]);
    expect((await listAudit(db().pool, { action: 'version.paused', subjectId: v1 }))[0]!.details).toMatchObject({
      reason: 'replaced by version 2',
    });
    expect(await listAudit(db().pool, { action: 'version.activated', subjectId: v2 })).toHaveLength(1);

    const again = await as(REVIEWER).activate(post(), versionCtx(v2));
    expect(again.status).toBe(409);
    const paused = await as(REVIEWER).pause(post(), versionCtx(v2));
    expect(await paused.json()).toMatchObject({ version: { status: 'paused' } });
    expect((await as(REVIEWER).pause(post(), versionCtx(v2))).status).toBe(409);
    const back = await as(REVIEWER).activate(post(), versionCtx(v1));
    expect(back.status).toBe(200);
    expect((await flowRepository(db().pool).listVersions(flowId)).map((v) => [v.version, v.status])).toEqual([
      [2, 'paused'],
      [1, 'active'],
    ]);
  });

  it('refuses activation and run starts once the analysis no longer matches the approval, until it is reviewed again', async () => {
    const flowId = await newFlow(withWarning('binding-analyzer'));
    const id = await makeLive(flowId);
    const engine = createServices(
      db().pool,
      parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }),
      () => new Date('2026-03-10T15:00:00Z'),
    ).engine;
    const contact = await makeContact(db().pool, { zone: 'America/New_York' });
    await engine.startRun({ flowVersionId: id, contactId: contact.id });

    // An approval given under another analyzer (as if a rule had changed since).
    const version = (await flowRepository(db().pool).getVersion(id))!;
    const approval = (await reviewRepository(db().pool).latestApproval(id))!;
    await reviewRepository(db().pool).addReview({ ...approval, reviewer: 'u-reviewer', analyzerVersion: '2020-01-01.1', comment: null });
    await expect(engine.startRun({ flowVersionId: id, contactId: contact.id })).rejects.toMatchObject({
      code: 'conflict',
      message: `version ${id} cannot start runs until it is reviewed again: it was approved under analyzer 2020-01-01.1, and the analyzer is now ${approval.analyzerVersion}`,
    });
    expect((await as(REVIEWER).pause(post(), versionCtx(id))).status).toBe(200);
    const refused = await as(REVIEWER).activate(post(), versionCtx(id));
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toMatch(/^version 1 needs review again: it was approved under analyzer 2020-01-01.1/);
    expect((await detail(id)).binding).toMatchObject({ ok: false });

    // A report that differs from the one approved.
    await reviewRepository(db().pool).addReview({ ...approval, reviewer: 'u-reviewer', reportHash: 'f'.repeat(64), comment: null });
    expect(await (await as(REVIEWER).activate(post(), versionCtx(id))).json()).toMatchObject({
      error: { message: 'version 1 needs review again: its analysis under the current analyzer differs from the report that was approved' },
    });

    // Submitting the same content again sends it back to review; a fresh approval makes it runnable.
    const resubmitted = await submit(flowId);
    expect(resubmitted.body).toMatchObject({
      outcome: 'resubmitted',
      version: { id, status: 'submitted', contentHash: version.contentHash },
    });
    expect(resubmitted.body.message).toContain('whose approval no longer holds');
    expect((await decide(id, { decision: 'approved', acknowledgedWarnings: ['unreachable-node:node:stray'] })).status).toBe(201);
    expect((await as(REVIEWER).activate(post(), versionCtx(id))).status).toBe(200);
    await engine.startRun({ flowVersionId: id, contactId: contact.id });
  });

  it('refuses a version whose stored JSON was changed behind its approval', async () => {
    const flowId = await newFlow(withWarning('binding-content'));
    const id = await makeLive(flowId);
    const engine = createServices(
      db().pool,
      parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }),
      () => new Date('2026-03-10T15:00:00Z'),
    ).engine;
    const contact = await makeContact(db().pool, { zone: 'America/New_York' });
    const client = await db().pool.connect();
    try {
      // Only a superuser bypassing the immutability trigger can do this; the gate must still notice.
      await client.query('alter table flow_versions disable trigger flow_versions_freeze');
      await client.query(`update flow_versions set content = jsonb_set(content, '{name}', '"tampered"') where id = $1`, [id]);
      await client.query('alter table flow_versions enable trigger flow_versions_freeze');
    } finally {
      client.release();
    }
    await expect(engine.startRun({ flowVersionId: id, contactId: contact.id })).rejects.toMatchObject({
      code: 'conflict',
      message: `version ${id} cannot start runs until it is reviewed again: its content no longer matches the content hash that was approved`,
    });
    expect((await as(REVIEWER).pause(post(), versionCtx(id))).status).toBe(200);
    expect((await as(REVIEWER).activate(post(), versionCtx(id))).status).toBe(409);
  });

  it('refuses to enrol a contact in a scheduled flow whose approval no longer holds', async () => {
    const template = (await import('@/workflows/appointment-reminder.json')).default as unknown as FlowDocument;
    const flowId = await newFlow({ ...structuredClone(template), id: 'binding-schedule' });
    const id = await makeLive(flowId);
    const engine = createServices(
      db().pool,
      parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }),
      () => new Date('2026-03-10T15:00:00Z'),
    ).engine;
    const contact = await makeContact(db().pool, { zone: 'America/Chicago' });
    await engine.scheduleRun({ flowId, contactId: contact.id, on: '2026-03-11' });
    const approval = (await reviewRepository(db().pool).latestApproval(id))!;
    await reviewRepository(db().pool).addReview({ ...approval, reviewer: 'u-reviewer', analyzerVersion: '2020-01-01.1', comment: null });
    await expect(engine.scheduleRun({ flowId, contactId: contact.id, on: '2026-03-12' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`version ${id} cannot start runs until it is reviewed again`),
    });
  });
});
