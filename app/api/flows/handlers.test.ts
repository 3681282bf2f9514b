import { describe, expect, it } from 'vitest';
import { apiRequest } from '@/lib/http/testing/api-request';
import { signedInAs } from '@/lib/auth/testing/actors';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseFlowJson } from '@/lib/flow/parse';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateSharedEndFlow } from '@/bench/generate-flow';
import { FLOW_LIMITS } from '@/lib/flows';
import { SERVER_CHECK_MAX_STEPS } from '@/lib/flows/editor-view';
import { TEMPLATES } from '@/workflows/index';
import { flowHandlers } from './handlers';

const db = useTestDatabase();
const h = flowHandlers(async () => db().pool, signedInAs('editor'));

const req = (method: string, body?: unknown) => apiRequest('http://test/api/flows', { method, body });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

describe('/api/flows', () => {
  it('creates a blank flow with an id from its name, and lists it', async () => {
    const res = await h.create(req('POST', { name: 'Spring promo', brand: 'Acme' }));
    expect(res.status).toBe(201);
    const { flow, draft } = await res.json();
    expect(flow.id).toBe('spring-promo');
    expect(draft).toEqual({
      schemaVersion: 1,
      id: 'spring-promo',
      name: 'Spring promo',
      policy: { brand: 'Acme', quietHours: 'strictest' },
      nodes: [],
      edges: [],
    });
    const list = await (await h.list(new Request('http://test/api/flows'))).json();
    expect(list.flows.map((f: { id: string }) => f.id)).toContain('spring-promo');
  });

  it('creates from a template, numbering the id when it is taken', async () => {
    const a = await (await h.create(req('POST', { template: 'pay-by-text' }))).json();
    const b = await (await h.create(req('POST', { template: 'pay-by-text' }))).json();
    expect(a.flow.id).toBe('pay-by-text');
    expect(b.flow.id).toBe('pay-by-text-2');
    expect(b.draft.nodes).toEqual((TEMPLATES[2] as { nodes: unknown[] }).nodes);
  });

  it('answers bad input with a 4xx and a path, never a 500', async () => {
    const cases: [Request, number, string][] = [
      [req('POST', '{oops'), 400, 'invalid_json'],
      [req('POST', { name: '  ' }), 400, 'validation_failed'],
      [req('POST', { template: 'nope' }), 400, 'validation_failed'],
      [req('POST', { name: 'x', extra: 1 }), 400, 'validation_failed'],
    ];
    for (const [request, status, code] of cases) {
      const res = await h.create(request);
      expect(res.status).toBe(status);
      expect((await res.json()).error.code).toBe(code);
    }
    const missing = await h.get(req('GET'), ctx('no-such-flow'));
    expect(missing.status).toBe(404);
  });

  it("gives the editor its view: the draft as saved (the browser lays out one without positions), with the analyzer's findings", async () => {
    const { draft } = await (await h.create(req('POST', { name: 'Editor view' }))).json();
    const bare = {
      ...draft,
      nodes: [
        { id: 'start', type: 'trigger', data: { kind: 'manual' } },
        { id: 'pay', type: 'payment.request', data: { amount: { from: 'vars.amount' }, currency: 'usd', description: 'Bill' } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'pay' }],
    };
    expect((await h.save(req('PUT', { draft: bare }), ctx('editor-view'))).status).toBe(200);
    const view = await (await h.get(new Request('http://test/api/flows/editor-view?view=editor'), ctx('editor-view'))).json();
    expect(view.flow.id).toBe('editor-view');
    expect(view.draft).toEqual(bare);
    expect(view.findings.problems.length).toBeGreaterThan(0);
    expect(typeof view.findings.valid).toBe('boolean');
    // The plain GET gives the draft as saved.
    expect((await (await h.get(req('GET'), ctx('editor-view'))).json()).draft).toEqual(bare);

    // Opened again after an edit: the edited draft's findings, never the earlier check's.
    const fixed = { ...bare, nodes: bare.nodes.slice(0, 1), edges: [] };
    expect((await h.save(req('PUT', { draft: fixed }), ctx('editor-view'))).status).toBe(200);
    const again = await (await h.get(new Request('http://test/api/flows/editor-view?view=editor'), ctx('editor-view'))).json();
    expect(again.draft.nodes.map((n: { id: string }) => n.id)).toEqual(['start']);
    expect(again.findings.problems.some((p: { nodeId?: string }) => p.nodeId === 'pay')).toBe(false);
    expect(view.findings.problems.some((p: { nodeId?: string }) => p.nodeId === 'pay')).toBe(true);

    const unknown = await h.get(new Request('http://test/api/flows/editor-view?view=summary'), ctx('editor-view'));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ path: 'view', message: expect.stringMatching(/view=summary/) });
  });

  it('saves a draft mid-edit, renames, duplicates and deletes', async () => {
    const { draft } = await (await h.create(req('POST', { name: 'Drafty' }))).json();
    const edited = {
      ...draft,
      nodes: [{ id: 'send-1', type: 'message.send', position: { x: 0, y: 0 }, data: { purpose: 'informational', body: '' } }],
    };
    expect((await h.save(req('PUT', { draft: edited }), ctx('drafty'))).status).toBe(200);
    expect((await (await h.get(req('GET'), ctx('drafty'))).json()).draft).toEqual(edited);

    const wrongId = await h.save(req('PUT', { draft: { ...edited, id: 'other' } }), ctx('drafty'));
    expect(wrongId.status).toBe(400);
    expect((await wrongId.json()).error.path).toBe('draft.id');

    const renamed = await (await h.rename(req('PATCH', { name: 'Renamed' }), ctx('drafty'))).json();
    expect(renamed.flow.name).toBe('Renamed');
    const copy = await (await h.duplicate(req('POST'), ctx('drafty'))).json();
    expect(copy.flow).toMatchObject({ id: 'drafty-copy', name: 'Renamed (copy)' });

    expect((await h.remove(req('DELETE'), ctx('drafty-copy'))).status).toBe(204);
    expect((await h.remove(req('DELETE'), ctx('drafty-copy'))).status).toBe(404);
  });

  it('imports a valid document and exports it byte-for-byte', async () => {
    const text = `${JSON.stringify({ ...(TEMPLATES[0] as object), id: 'imported' }, null, 2)}\n`;
    const res = await h.importFlow(req('POST', { text }));
    expect(res.status).toBe(201);
    const exported = await (await h.exportFlow(req('GET'), ctx('imported'))).text();
    const parsed = parseFlowJson(exported);
    expect(parsed.ok).toBe(true);
    expect(JSON.parse(exported)).toEqual(JSON.parse(text));
  });

  it('refuses an invalid import with every problem and its path, and saves nothing', async () => {
    const before = (await (await h.list(new Request('http://test/api/flows'))).json()).flows.length;
    const bad = {
      schemaVersion: 1,
      id: 'Bad Id',
      name: 'x',
      policy: { brand: 'A' },
      nodes: [{ id: 'a', type: 'message.send', data: { purpose: 'sales', body: 'x' } }],
      edges: [],
    };
    const res = await h.importFlow(req('POST', { document: bad }));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_flow');
    expect(error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'id' }), expect.objectContaining({ path: 'nodes[0].data.purpose' })]),
    );
    expect((await (await h.list(new Request('http://test/api/flows'))).json()).flows.length).toBe(before);
    const syntax = await h.importFlow(req('POST', { text: '{ "schemaVersion": 1,' }));
    expect((await syntax.json()).error.details[0].path).toBe('(document)');
  });
});

/** The heap in use after a full collection. */
function heapAfterCollection(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('big flows', () => {
  it('imports and opens a 2,000-step flow with a shared End and no positions, again and again, with the heap flat and other requests answered', async () => {
    const doc = generateSharedEndFlow(2_000);
    expect(doc.nodes.some((n) => n.position)).toBe(false);
    expect(doc.edges.filter((e) => e.target === 'done').length).toBeGreaterThan(1_000);
    const cycle = async (i: number) => {
      const imported = await h.importFlow(req('POST', { document: { ...doc, id: `big-${i}` } }));
      expect(imported.status).toBe(201);
      const { flow } = await imported.json();
      const opened = await h.get(new Request(`http://test/api/flows/${flow.id}?view=editor`), ctx(flow.id));
      expect(opened.status).toBe(200);
      const view = await opened.json();
      // Nothing laid out or analyzed on the request path: the browser's workers do both for a flow this big.
      expect(view.draft.nodes).toHaveLength(doc.nodes.length);
      expect(view.draft.nodes.some((n: { position?: unknown }) => n.position)).toBe(false);
      expect(view.findings).toBeNull();
    };
    await cycle(0);
    const before = heapAfterCollection();
    for (let i = 1; i <= 5; i++) await cycle(i);
    const grown = heapAfterCollection() - before;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    // The process still answers.
    const list = await h.list(new Request('http://test/api/flows'));
    expect(list.status).toBe(200);
    expect((await list.json()).flows.filter((f: { id: string }) => f.id.startsWith('big-'))).toHaveLength(6);
  });

  it('checks a small draft on the server and leaves a bigger one to the browser', async () => {
    const small = generateSharedEndFlow(SERVER_CHECK_MAX_STEPS);
    const big = generateSharedEndFlow(SERVER_CHECK_MAX_STEPS + 10);
    for (const [doc, checked] of [
      [small, true],
      [big, false],
    ] as const) {
      const { flow } = await (await h.importFlow(req('POST', { document: doc }))).json();
      const view = await (await h.get(new Request(`http://test/api/flows/${flow.id}?view=editor`), ctx(flow.id))).json();
      expect(view.findings === null).toBe(!checked);
    }
  });

  it('refuses a flow past the size limits with a 413 or 422 that names the limit, saving nothing', async () => {
    const most = generateSharedEndFlow(FLOW_LIMITS.steps);
    const tooMany = { ...most, nodes: [...most.nodes, { id: 'one-more', type: 'end' as const }] };
    expect(tooMany.nodes.length).toBe(FLOW_LIMITS.steps + 1);
    const before = (await (await h.list(new Request('http://test/api/flows'))).json()).flows.length;
    for (const body of [{ document: tooMany }, { text: JSON.stringify(tooMany) }]) {
      const res = await h.importFlow(req('POST', body));
      expect(res.status).toBe(422);
      const { error } = await res.json();
      expect(error).toMatchObject({ path: 'nodes', message: expect.stringContaining('up to 10,000 steps') });
    }
    const { draft } = await (await h.create(req('POST', { name: 'Grows' }))).json();
    const save = await h.save(req('PUT', { draft: { ...tooMany, id: draft.id } }), ctx(draft.id));
    expect(save.status).toBe(422);
    expect((await save.json()).error).toMatchObject({ path: 'draft.nodes', message: expect.stringContaining('10,001 steps') });

    const edges = Array.from({ length: FLOW_LIMITS.edges + 1 }, (_, i) => ({
      id: `e${i}`,
      source: 'a',
      sourceHandle: 'next',
      target: 'b',
    }));
    const tooManyEdges = await h.importFlow(req('POST', { document: { ...TEMPLATES[0]!, edges } }));
    expect(tooManyEdges.status).toBe(422);
    expect((await tooManyEdges.json()).error.message).toContain('up to 50,000 edges');

    const tooBig = await h.importFlow(req('POST', { document: { ...TEMPLATES[0]!, description: 'x'.repeat(FLOW_LIMITS.bytes) } }));
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.message).toMatch(/over 5 MB/);
    expect((await (await h.list(new Request('http://test/api/flows'))).json()).flows.length).toBe(before + 1);
  });
});

describe('who may change flows', () => {
  it('lets a developer import and export but not edit; a reviewer only reads; nobody gets 401; changes are audited', async () => {
    const as = (role: Parameters<typeof signedInAs>[0]) => flowHandlers(async () => db().pool, signedInAs(role));
    const body = (b: unknown) => apiRequest('http://test/api/flows', { method: 'POST', body: b });
    expect((await as(null).list(body({}))).status).toBe(401);
    expect((await as('reviewer').list(body({}))).status).toBe(200);
    expect((await as('reviewer').create(body({ name: 'Nope' }))).status).toBe(403);
    expect((await as('developer').create(body({ name: 'Nope' }))).status).toBe(403);
    const imported = await as('developer').importFlow(body({ document: { ...(TEMPLATES[0] as object), id: 'dev-import' } }));
    expect(imported.status).toBe(201);
    const id = (await imported.json()).flow.id as string;
    expect((await as('developer').exportFlow(body({}), { params: Promise.resolve({ id }) })).status).toBe(200);
    expect((await as('reviewer').exportFlow(body({}), { params: Promise.resolve({ id }) })).status).toBe(403);
    const { rows } = await db().pool.query('select actor, action from audit_log where subject_id = $1 order by id', [id]);
    expect(rows).toEqual([
      { actor: 'user-developer', action: 'flow.imported' },
      { actor: 'user-developer', action: 'flow.exported' },
    ]);
  });
});

describe('a change and its audit entry', () => {
  it('commit together: when the audit entry cannot be written, the rename is not kept either', async () => {
    const { pool } = db();
    const created = await (await h.create(req('POST', { name: 'Audited rename', brand: 'Acme' }))).json();
    const id = created.flow.id as string;
    await pool.query(`create function refuse_rename_audit() returns trigger language plpgsql as $$
      begin if new.action = 'flow.renamed' then raise exception 'audit refused for this test'; end if; return new; end $$`);
    await pool.query(`create trigger refuse_rename_audit before insert on audit_log for each row execute function refuse_rename_audit()`);
    try {
      const res = await h.rename(apiRequest(`http://test/api/flows/${id}`, { method: 'PATCH', body: { name: 'Renamed' } }), ctx(id));
      expect(res.status).toBe(500);
    } finally {
      await pool.query('drop trigger refuse_rename_audit on audit_log');
      await pool.query('drop function refuse_rename_audit()');
    }
    expect((await pool.query('select name from flows where id = $1', [id])).rows[0].name).toBe('Audited rename');
    // And a refused change leaves no entry.
    expect(
      (await h.rename(apiRequest('http://test/api/flows/nothing-here', { method: 'PATCH', body: { name: 'X' } }), ctx('nothing-here')))
        .status,
    ).toBe(404);
    expect((await pool.query(`select count(*)::int as n from audit_log where subject_id = 'nothing-here'`)).rows[0].n).toBe(0);
  });
});
