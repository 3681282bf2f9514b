import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { listAudit } from '@/lib/db/audit-repository';
import { contactKeys } from '@/lib/db/contact-repository';
import { TEST_APP_SECRET, makeContact } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { apiRequest } from '@/lib/http/testing/api-request';
import { MAX_TAGS } from '@/lib/campaigns/segments';
import { segmentHandlers, segmentDetailResponse, segmentPreviewResponse } from './segment-handlers';

const db = useTestDatabase();
const editor: Actor = { userId: 'u-editor', email: 'e@x.test', name: 'Ed', role: 'editor', via: 'session' };
const reviewer: Actor = { userId: 'u-reviewer', email: 'r@x.test', name: 'Rita', role: 'reviewer', via: 'session' };
const api = (actor: Actor | null = editor) =>
  segmentHandlers({ authenticate: async () => actor, pool: async () => db().pool, keys: () => contactKeys(TEST_APP_SECRET) });
const post = (path: string, body: unknown) => apiRequest(`http://test${path}`, { method: 'POST', body });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; path?: string } }).error;

describe('/api/segments', () => {
  it('saves a segment, audits it, and answers its live count and a sample without names', async () => {
    const vip = await makeContact(db().pool, { name: 'Secret Name', tags: ['vip'], zone: 'America/Chicago' });
    await makeContact(db().pool, { tags: ['other'] });
    const res = await api().create(post('/api/segments', { name: ' VIPs ', filter: { all: [{ field: 'tag', tag: 'VIP' }] } }));
    expect(res.status).toBe(201);
    const { segment } = (await res.json()) as { segment: { id: string; name: string } };
    expect(segment.name).toBe('VIPs');
    const audit = await listAudit(db().pool, { action: 'segment.created' });
    expect(audit.map((a) => a.subjectId)).toEqual([segment.id]);

    const got = await api().get(apiRequest(`http://test/api/segments/${segment.id}`), { params: Promise.resolve({ id: segment.id }) });
    expect(got.status).toBe(200);
    const body = segmentDetailResponse.parse(await got.json());
    expect(body.preview.count).toBe(1);
    expect(body.preview.sample).toEqual([
      { id: vip.id, phone: vip.phone, zones: ['America/Chicago'], states: expect.any(Array), tags: ['vip'], consent: 'missing' },
    ]);
    expect(JSON.stringify(body)).not.toContain('Secret Name');
  });

  it('answers a bad filter with a 400 naming the field, and stores nothing', async () => {
    const res = await api().create(
      post('/api/segments', { name: 'Bad', filter: { all: [{ field: 'attribute', key: 'amount', op: 'gt', value: 'lots' }] } }),
    );
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'validation_failed', path: 'filter.all[0].value' });
    const zone = await api().preview(post('/api/segments/preview', { filter: { field: 'zone', in: ['Mars/Olympus'] } }));
    expect(zone.status).toBe(400);
    expect((await errorOf(zone)).path).toBe('filter.in[0]');
    let deep: unknown = { field: 'tag', tag: 'x' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    const tooDeep = await api().preview(post('/api/segments/preview', { filter: deep }));
    expect(tooDeep.status).toBe(400);
    expect((await errorOf(tooDeep)).message).toContain('at most 5');
    expect(Number((await db().pool.query("select count(*) as n from segments where name = 'Bad'")).rows[0].n)).toBe(0);
  });

  it('previews a filter not saved yet, and refuses a reviewer a save (contacts.write)', async () => {
    await makeContact(db().pool, { attributes: { plan: 'gold' } });
    const res = await api(reviewer).preview(
      post('/api/segments/preview', { filter: { field: 'attribute', key: 'plan', op: 'equals', value: 'gold' } }),
    );
    expect(segmentPreviewResponse.parse(await res.json()).count).toBe(1);
    const refused = await api(reviewer).create(post('/api/segments', { name: 'x', filter: { all: [] } }));
    expect(refused.status).toBe(403);
  });

  it('tags the contacts picked on the list, audited, and names a bad id', async () => {
    const a = await makeContact(db().pool);
    const b = await makeContact(db().pool);
    const res = await api().tag(post('/api/contacts/tags', { contactIds: [a.id, b.id], tag: 'Spring Promo' }));
    expect(await res.json()).toEqual({ tag: 'spring promo', changed: 2 });
    expect((await listAudit(db().pool, { action: 'contacts.tagged' }))[0]!.details).toMatchObject({ tag: 'spring promo', changed: 2 });
    const bad = await api().tag(post('/api/contacts/tags', { contactIds: ['nope'], tag: 'x' }));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).path).toBe('contactIds[0]');
  });

  it('refuses a tag for a contact that holds the most tags already (422 naming contactIds), tagging no one', async () => {
    const full = await makeContact(db().pool, { tags: Array.from({ length: MAX_TAGS }, (_, i) => `tag-${i}`) });
    const other = await makeContact(db().pool);
    const res = await api().tag(post('/api/contacts/tags', { contactIds: [other.id, full.id], tag: 'one more' }));
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({ code: 'unprocessable', path: 'contactIds', message: expect.stringContaining('50 tags') });
    const { rows } = await db().pool.query<{ tags: string[] }>('select tags from contacts where id = $1', [other.id]);
    expect(rows[0]!.tags).toEqual([]);
  });
});
