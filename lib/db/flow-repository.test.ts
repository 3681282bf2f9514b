import { describe, expect, it } from 'vitest';
import { contentHash } from '@/lib/crypto/content-hash';
import { FlowExistsError, flowRepository } from './flow-repository';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const repo = () => flowRepository(db().pool);
let counter = 0;
const slug = (what: string) => `${what}-${++counter}`;
const doc = (id: string, name = 'Pay by text') => ({ schemaVersion: 1, id, name, nodes: [], edges: [] });

describe('flow repository', () => {
  it('creates, gets, updates and lists flows', async () => {
    const id = slug('reminder');
    const created = await repo().createFlow({ id, name: 'Reminder', draft: doc(id), savedBy: 'user:1' });
    const { draftText, ...head } = created;
    expect(head).toMatchObject({ id, name: 'Reminder', nodeCount: 0, archivedAt: undefined });
    expect(JSON.parse(draftText)).toEqual(doc(id));
    expect(await repo().getFlow(id)).toEqual({ ...head, nodeCount: undefined, draft: doc(id) });
    expect(await repo().getFlowHead(id)).toEqual(head);
    const updated = await repo().updateDraft(id, { draft: { ...doc(id), nodes: [{ id: 'n1' }] }, name: 'Reminder 2', savedBy: 'user:1' });
    expect(updated).toMatchObject({ name: 'Reminder 2', nodeCount: 1 });
    expect((await repo().getFlow(id))!.draft).toMatchObject({ nodes: [{ id: 'n1' }] });
    expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect((await repo().listFlows()).find((f) => f.id === id)).toEqual(updated);
    expect(await repo().updateDraft('no-such-flow', { draft: {}, savedBy: 'user:1' })).toBeUndefined();
    expect(await repo().getFlow('no-such-flow')).toBeUndefined();
    expect(await repo().getFlowText('no-such-flow')).toBeUndefined();
  });

  it('stores a draft given as JSON text as it is, under the flow id, and gives it back as text', async () => {
    const id = slug('as-text');
    const text = JSON.stringify({ ...doc('another-id'), nodes: [{ id: 'a' }, { id: 'b' }] });
    const created = await repo().createFlow({ id, name: 'As text', draft: text, savedBy: 'user:1' });
    expect(created.nodeCount).toBe(2);
    // The stored draft carries the flow's id, whatever the document said.
    expect(JSON.parse(created.draftText)).toEqual({ ...JSON.parse(text), id });
    const { draftText, ...head } = (await repo().getFlowText(id))!;
    expect(head).toEqual(await repo().getFlowHead(id));
    expect(JSON.parse(draftText)).toEqual({ ...JSON.parse(text), id });
    await repo().updateDraft(id, { draft: JSON.stringify({ ...doc(id), nodes: 'mid-edit' }), savedBy: 'user:1' });
    expect((await repo().getFlowHead(id))!.nodeCount).toBe(0);
    // Binary jsonb, as the worker thread that reads a big body writes it: the format's version byte, then the text.
    const binary = new Uint8Array(Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify({ ...doc(id), nodes: [{ id: 'é' }] }))]));
    await repo().updateDraft(id, { draft: binary, savedBy: 'user:1' });
    expect((await repo().getFlow(id))!.draft).toEqual({ ...doc(id), nodes: [{ id: 'é' }] });
  });

  it('refuses a duplicate id and an id that is not a slug', async () => {
    const id = slug('dup');
    await repo().createFlow({ id, name: 'A', draft: doc(id), savedBy: 'user:1' });
    await expect(repo().createFlow({ id, name: 'B', draft: doc(id), savedBy: 'user:1' })).rejects.toBeInstanceOf(FlowExistsError);
    await expect(repo().createFlow({ id: 'Not A Slug', name: 'B', draft: {}, savedBy: 'user:1' })).rejects.toThrow(/flows_id_check/);
  });

  it('hides archived flows unless asked', async () => {
    const id = slug('old');
    await repo().createFlow({ id, name: 'Old', draft: doc(id), savedBy: 'user:1' });
    await db().pool.query('update flows set archived_at = now() where id = $1', [id]);
    expect((await repo().listFlows()).map((f) => f.id)).not.toContain(id);
    expect((await repo().listFlows({ includeArchived: true })).map((f) => f.id)).toContain(id);
  });

  it('saves numbered versions with their content hash; the same content twice is the same version', async () => {
    const id = slug('versions');
    await repo().createFlow({ id, name: 'V', draft: doc(id), savedBy: 'user:1' });
    const v1 = await repo().saveVersion(id, doc(id), 'user:1');
    expect(v1).toMatchObject({ flowId: id, version: 1, status: 'draft', contentHash: contentHash(doc(id)), createdBy: 'user:1' });
    const reordered = { edges: [], nodes: [], name: 'Pay by text', id, schemaVersion: 1 };
    expect(await repo().saveVersion(id, reordered, 'user:2')).toEqual(v1);
    const v2 = await repo().saveVersion(id, doc(id, 'Changed'), 'user:1');
    expect(v2.version).toBe(2);
    expect((await repo().listVersions(id)).map((v) => v.version)).toEqual([2, 1]);
    expect(await repo().getVersion(v1.id)).toEqual(v1);
  });

  it('numbers versions without gaps or duplicates when saved concurrently', async () => {
    const id = slug('race');
    await repo().createFlow({ id, name: 'R', draft: doc(id), savedBy: 'user:1' });
    const saved = await Promise.all(Array.from({ length: 6 }, (_, i) => repo().saveVersion(id, doc(id, `name ${i}`), 'user:1')));
    expect(saved.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('deletes a flow without versions, keeps one with versions', async () => {
    const bare = slug('bare');
    const kept = slug('kept');
    await repo().createFlow({ id: bare, name: 'B', draft: doc(bare), savedBy: 'user:1' });
    await repo().createFlow({ id: kept, name: 'K', draft: doc(kept), savedBy: 'user:1' });
    await repo().saveVersion(kept, doc(kept), 'user:1');
    expect(await repo().deleteFlow(bare)).toBe('deleted');
    expect(await repo().deleteFlow(bare)).toBe('not-found');
    expect(await repo().deleteFlow(kept)).toBe('has-versions');
    expect(await repo().getFlow(kept)).toBeDefined();
  });

  it('keeps a version immutable: content cannot change, the version cannot be deleted, its status can move', async () => {
    const id = slug('frozen');
    await repo().createFlow({ id, name: 'F', draft: doc(id), savedBy: 'user:1' });
    const v = await repo().saveVersion(id, doc(id), 'user:1');
    await expect(db().pool.query(`update flow_versions set content = '{"x":1}' where id = $1`, [v.id])).rejects.toThrow(
      'flow versions are immutable',
    );
    await expect(db().pool.query('update flow_versions set content_hash = $2 where id = $1', [v.id, 'f'.repeat(64)])).rejects.toThrow(
      'flow versions are immutable',
    );
    await expect(db().pool.query('delete from flow_versions where id = $1', [v.id])).rejects.toThrow('flow versions are never deleted');
    await db().pool.query("update flow_versions set status = 'submitted' where id = $1", [v.id]);
    const moved = await repo().getVersion(v.id);
    expect(moved).toMatchObject({ status: 'submitted', content: doc(id), contentHash: v.contentHash });
    expect(moved!.statusChangedAt.getTime()).toBeGreaterThanOrEqual(v.statusChangedAt.getTime());
  });

  it('submits a version as submitted, and says when the same content was already a version', async () => {
    const id = slug('submit');
    await repo().createFlow({ id, name: 'S', draft: doc(id), savedBy: 'user:1' });
    const first = await repo().submitVersion(id, doc(id), 'user:1');
    expect(first).toMatchObject({ created: true, version: { version: 1, status: 'submitted', createdBy: 'user:1' } });
    const again = await repo().submitVersion(id, doc(id), 'user:2');
    expect(again).toEqual({ created: false, version: first.version });
  });

  it('moves a status only from the statuses given', async () => {
    const id = slug('status');
    await repo().createFlow({ id, name: 'S', draft: doc(id), savedBy: 'user:1' });
    const { version } = await repo().submitVersion(id, doc(id), 'user:1');
    expect(await repo().setVersionStatus(version.id, 'active', ['approved', 'paused'])).toBeUndefined();
    expect(await repo().setVersionStatus(version.id, 'approved', ['submitted'])).toMatchObject({ status: 'approved' });
    expect(await repo().setVersionStatus('not-a-uuid', 'approved', ['submitted'])).toBeUndefined();
  });

  it('activates a version and pauses the one active before, in one step', async () => {
    const id = slug('activate');
    await repo().createFlow({ id, name: 'A', draft: doc(id), savedBy: 'user:1' });
    const v1 = (await repo().submitVersion(id, doc(id), 'user:1')).version;
    const v2 = (await repo().submitVersion(id, doc(id, 'Two'), 'user:1')).version;
    expect(await repo().activateVersion(v1.id)).toMatchObject({ version: { id: v1.id, status: 'active' }, paused: [] });
    const second = await repo().activateVersion(v2.id);
    expect(second).toMatchObject({ version: { id: v2.id, status: 'active' }, paused: [{ id: v1.id, status: 'paused' }] });
    expect(await repo().lastApprovedVersion(id, v2.id)).toMatchObject({ id: v1.id });
    expect(await repo().lastApprovedVersion(id)).toMatchObject({ id: v2.id });
    expect(await repo().activateVersion('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('never leaves two active versions when two are activated at once', async () => {
    const id = slug('activate-race');
    await repo().createFlow({ id, name: 'A', draft: doc(id), savedBy: 'user:1' });
    const versions = await Promise.all([1, 2, 3, 4].map(async (n) => (await repo().submitVersion(id, doc(id, `v${n}`), 'user:1')).version));
    await Promise.all(versions.map((v) => repo().activateVersion(v.id)));
    const statuses = (await repo().listVersions(id)).map((v) => v.status);
    expect(statuses.filter((s) => s === 'active')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'paused')).toHaveLength(3);
  });
});
