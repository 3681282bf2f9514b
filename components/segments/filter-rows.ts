import type { SegmentFilter, SegmentLeaf } from '@/lib/campaigns';

/** One row of the segment builder: a condition, perhaps negated. Kept as strings while edited. */
export interface FilterRow {
  key: number;
  negate: boolean;
  field: SegmentLeaf['field'];
  purpose: 'marketing' | 'informational';
  status: 'granted' | 'none' | 'revoked';
  list: string;
  attrKey: string;
  op: string;
  value: string;
  tag: string;
  importId: string;
  flowId: string;
  active: boolean;
}

let nextKey = 1;

/** A new row, filtering on `field`. */
export function newRow(field: SegmentLeaf['field'] = 'consent'): FilterRow {
  return {
    key: nextKey++,
    negate: false,
    field,
    purpose: 'marketing',
    status: 'granted',
    list: '',
    attrKey: '',
    op: 'equals',
    value: '',
    tag: '',
    importId: '',
    flowId: '',
    active: false,
  };
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** The condition a row stands for, as the API takes it. */
export function leafOf(row: FilterRow): SegmentLeaf {
  switch (row.field) {
    case 'consent':
      return { field: 'consent', purpose: row.purpose, status: row.status };
    case 'state':
      return { field: 'state', in: splitList(row.list).map((s) => s.toUpperCase()) };
    case 'zone':
      return { field: 'zone', in: splitList(row.list) };
    case 'attribute': {
      const numeric = ['gt', 'gte', 'lt', 'lte'].includes(row.op) && /^-?\d+(\.\d+)?$/.test(row.value);
      return {
        field: 'attribute',
        key: row.attrKey.trim(),
        op: row.op as Extract<SegmentLeaf, { field: 'attribute' }>['op'],
        ...(row.op === 'exists' ? {} : { value: numeric ? Number(row.value) : row.value }),
      };
    }
    case 'tag':
      return { field: 'tag', tag: row.tag };
    case 'import':
      return { field: 'import', importId: row.importId };
    case 'run':
      return { field: 'run', flowId: row.flowId, ...(row.active ? { active: true } : {}) };
    case 'contact':
      return { field: 'contact', ids: splitList(row.list) };
  }
}

/** The filter the rows make: every one (`all`) or any one (`any`). */
export function filterOf(rows: readonly FilterRow[], match: 'all' | 'any'): SegmentFilter {
  const leaves = rows.map((r) => (r.negate ? { not: leafOf(r) } : leafOf(r)));
  return match === 'all' ? { all: leaves } : { any: leaves };
}

/** The rows of a saved filter the builder can show (one level of conditions), or null for a deeper tree. */
export function rowsOf(filter: SegmentFilter): { match: 'all' | 'any'; rows: FilterRow[] } | null {
  const list = 'all' in filter ? filter.all : 'any' in filter ? filter.any : [filter];
  const rows: FilterRow[] = [];
  for (const f of list) {
    const negate = 'not' in f;
    const leaf = negate ? f.not : f;
    if ('all' in leaf || 'any' in leaf || 'not' in leaf) return null;
    const row = { ...newRow(leaf.field), negate };
    if (leaf.field === 'consent') Object.assign(row, { purpose: leaf.purpose, status: leaf.status });
    if (leaf.field === 'state' || leaf.field === 'zone') row.list = leaf.in.join(', ');
    if (leaf.field === 'attribute') Object.assign(row, { attrKey: leaf.key, op: leaf.op, value: String(leaf.value ?? '') });
    if (leaf.field === 'tag') row.tag = leaf.tag;
    if (leaf.field === 'import') row.importId = leaf.importId;
    if (leaf.field === 'run') Object.assign(row, { flowId: leaf.flowId, active: leaf.active ?? false });
    if (leaf.field === 'contact') return null;
    rows.push(row);
  }
  return { match: 'any' in filter ? 'any' : 'all', rows };
}
