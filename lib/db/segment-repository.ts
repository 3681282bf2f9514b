import type { Queryable } from './queryable';

/**
 * Segments (saved audiences) and their evaluation: a filter tree compiled to
 * one parameterised `where` over `contacts c` (every value a `$n`
 * parameter, never concatenated), evaluated by Postgres over the facts kept
 * on the contact row (docs/architecture.md, "Audiences and campaigns"). The
 * tree's shape and bounds are checked before it gets here
 * (lib/campaigns/segment-filter.ts).
 */

/** A purpose's standing, as the contacts page shows it (`consentByPurpose`): granted, never given, or withdrawn. */
export type ConsentFilterStatus = 'granted' | 'none' | 'revoked';

/** How an attribute is compared: as text (`equals`, `contains`), as a number, or as a `YYYY-MM-DD` date. */
export type AttributeOp = 'exists' | 'equals' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'before' | 'after';

/** One condition on a contact. */
export type SegmentLeaf =
  | { field: 'consent'; purpose: 'informational' | 'marketing'; status: ConsentFilterStatus }
  | { field: 'state'; in: string[] }
  | { field: 'zone'; in: string[] }
  | { field: 'attribute'; key: string; op: AttributeOp; value?: string | number }
  | { field: 'tag'; tag: string }
  | { field: 'import'; importId: string }
  | { field: 'run'; flowId: string; active?: boolean }
  | { field: 'contact'; ids: string[] };

/** A filter: every condition (`all`), any of them (`any`), the opposite (`not`), or one condition. */
export type SegmentFilter = { all: SegmentFilter[] } | { any: SegmentFilter[] } | { not: SegmentFilter } | SegmentLeaf;

export interface Segment {
  id: string;
  name: string;
  filter: SegmentFilter;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A contact as a segment's sample shows it: no name, no decryption. */
export interface SegmentMember {
  id: string;
  phone: string;
  zones: string[];
  states: string[];
  tags: string[];
  consent: 'granted' | 'informational' | 'missing' | 'revoked';
}

const NUMBER = '^-?[0-9]+(\\.[0-9]+)?$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}';

/** A compiled filter: its `where` condition over `contacts c` and the parameters it numbers from `$1`. */
export interface CompiledFilter {
  sql: string;
  values: unknown[];
}

/**
 * Compiles a filter to one SQL condition over `contacts c`; `values` may
 * already hold parameters (the new ones are numbered after them). Erased
 * contacts never match.
 */
export function compileSegmentFilter(filter: SegmentFilter, values: unknown[] = []): CompiledFilter {
  const p = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const attr = (key: string) => `(c.segment_attributes ->> ${p(key)})`;
  const compile = (f: SegmentFilter): string => {
    if ('all' in f) return f.all.length ? `(${f.all.map(compile).join(' and ')})` : 'true';
    if ('any' in f) return f.any.length ? `(${f.any.map(compile).join(' or ')})` : 'false';
    if ('not' in f) return `(not coalesce(${compile(f.not)}, false))`;
    switch (f.field) {
      case 'consent': {
        const level = 'optline_consent_level(c.id)';
        const covers = f.purpose === 'marketing' ? `${level} = 'granted'` : `${level} in ('granted', 'informational')`;
        const everRevoked = `exists (select 1 from consent_events e where e.contact_id = c.id and e.action = 'revoke')`;
        if (f.status === 'granted') return `(${covers})`;
        return `(not (${covers}) and ${f.status === 'revoked' ? '' : 'not '}${everRevoked})`;
      }
      case 'state':
        return `(c.resolved_states && ${p(f.in)}::text[])`;
      case 'zone':
        return `(c.resolved_zones && ${p(f.in)}::text[])`;
      case 'tag':
        return `(c.tags @> array[${p(f.tag)}]::text[])`;
      case 'import':
        return `exists (select 1 from contact_import_members m where m.contact_id = c.id and m.import_id = ${p(f.importId)}::uuid)`;
      case 'run':
        return `exists (select 1 from runs r join flow_versions v on v.id = r.flow_version_id
          where r.contact_id = c.id and v.flow_id = ${p(f.flowId)}${f.active ? ` and r.status = 'active'` : ''})`;
      case 'contact':
        return `(c.id = any(${p(f.ids)}::uuid[]))`;
      case 'attribute': {
        const a = attr(f.key);
        const v = f.value ?? '';
        switch (f.op) {
          case 'exists':
            return `(${a} is not null)`;
          case 'equals':
            return `(${a} = ${p(String(v))})`;
          case 'contains':
            return `(strpos(lower(${a}), lower(${p(String(v))})) > 0)`;
          case 'gt':
          case 'gte':
          case 'lt':
          case 'lte': {
            const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op];
            const b = attr(f.key);
            return `(case when ${a} ~ '${NUMBER}' then ${b}::numeric end ${op} ${p(String(v))}::numeric)`;
          }
          case 'before':
          case 'after': {
            const b = attr(f.key);
            return `(case when ${a} ~ '${DATE}' then left(${b}, 10) end ${f.op === 'before' ? '<' : '>'} ${p(String(v))})`;
          }
          default: {
            const unknown: never = f.op;
            throw new Error(`attribute comparison ${String(unknown)} is not known`);
          }
        }
      }
      default: {
        const unknown: never = f;
        throw new Error(`segment condition ${JSON.stringify(unknown)} is not known`);
      }
    }
  };
  return { sql: `(c.erased_at is null and coalesce(${compile(filter)}, false))`, values };
}

interface SegmentRow {
  id: string;
  name: string;
  filter: SegmentFilter;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const segmentOf = (r: SegmentRow): Segment => ({
  id: r.id,
  name: r.name,
  filter: r.filter,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface MemberRow {
  id: string;
  phone_e164: string;
  resolved_zones: string[] | null;
  resolved_states: string[] | null;
  tags: string[];
  consent: SegmentMember['consent'];
}

const memberOf = (r: MemberRow): SegmentMember => ({
  id: r.id,
  phone: r.phone_e164,
  zones: r.resolved_zones ?? [],
  states: r.resolved_states ?? [],
  tags: r.tags,
  consent: r.consent,
});

/** Segments and their members over a pool or a transaction's client. */
export function segmentRepository(db: Queryable) {
  return {
    /** Stores a new segment. */
    async create(input: { name: string; filter: SegmentFilter; createdBy: string }): Promise<Segment> {
      const { rows } = await db.query<SegmentRow>(`insert into segments (name, filter, created_by) values ($1, $2, $3) returning *`, [
        input.name,
        JSON.stringify(input.filter),
        input.createdBy,
      ]);
      return segmentOf(rows[0]!);
    },

    /** Changes a segment's name and filter; undefined when there is no such segment. */
    async update(id: string, input: { name: string; filter: SegmentFilter }): Promise<Segment | undefined> {
      const { rows } = await db.query<SegmentRow>(`update segments set name = $2, filter = $3 where id = $1 returning *`, [
        id,
        input.name,
        JSON.stringify(input.filter),
      ]);
      return rows[0] && segmentOf(rows[0]);
    },

    /** A segment by id. */
    async get(id: string): Promise<Segment | undefined> {
      const { rows } = await db.query<SegmentRow>(`select * from segments where id = $1`, [id]);
      return rows[0] && segmentOf(rows[0]);
    },

    /** Every segment, newest first (at most `limit`). */
    async list(limit = 200): Promise<Segment[]> {
      const { rows } = await db.query<SegmentRow>(`select * from segments order by created_at desc, id desc limit $1`, [limit]);
      return rows.map(segmentOf);
    },

    /** How many contacts the filter holds right now (one statement). */
    async count(filter: SegmentFilter): Promise<number> {
      const where = compileSegmentFilter(filter);
      const { rows } = await db.query<{ n: string }>(`select count(*) as n from contacts c where ${where.sql}`, where.values);
      return Number(rows[0]!.n);
    },

    /**
     * A page of the filter's contacts in id order after `afterId` (keyset:
     * a caller walks the whole audience in bounded batches, each its own
     * statement). `consent: false` leaves each member's consent level
     * unread (null) for a caller that reads it otherwise.
     */
    async members(filter: SegmentFilter, page: { afterId?: string; limit: number; consent?: boolean }): Promise<SegmentMember[]> {
      const where = compileSegmentFilter(filter);
      const values = where.values;
      const after = page.afterId ? ` and c.id > $${values.push(page.afterId)}::uuid` : '';
      const limit = `$${values.push(Math.min(Math.max(page.limit, 1), 5000))}`;
      const { rows } = await db.query<MemberRow>(
        `select c.id, c.phone_e164, c.resolved_zones, c.resolved_states, c.tags,
           ${page.consent === false ? 'null' : 'optline_consent_level(c.id)'} as consent
         from contacts c where ${where.sql}${after} order by c.id limit ${limit}`,
        values,
      );
      return rows.map(memberOf);
    },

    /** The tags in use, most used first (for the filter form's suggestions). */
    async tagsInUse(limit = 100): Promise<{ tag: string; contacts: number }[]> {
      const { rows } = await db.query<{ tag: string; n: string }>(
        `select t.tag, count(*) as n from contacts c, unnest(c.tags) as t(tag) where c.erased_at is null
         group by t.tag order by count(*) desc, t.tag limit $1`,
        [limit],
      );
      return rows.map((r) => ({ tag: r.tag, contacts: Number(r.n) }));
    },
  };
}

export type SegmentRepository = ReturnType<typeof segmentRepository>;
