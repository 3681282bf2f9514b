import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The architecture's rules that ESLint cannot see file by file
 * (docs/architecture.md, "Layers"): no import cycle between folders, every
 * import that leaves its folder spelled `@/…` (the form the layer rule in
 * eslint.config.js matches), every folder of lib/ given a layer there, and no
 * SQL outside lib/db. Tests and test helpers (`testing/`) are left out: like
 * bench/ and e2e/, they assemble layers and nothing imports them.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['lib', 'app', 'components', 'scripts'];
const SOURCE_FILES = ['server.ts', 'proxy.ts', 'instrumentation.ts', 'instrumentation-client.ts'];
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

const isTestCode = (file: string) => /\.test\.tsx?$/.test(file) || file.split('/').includes('testing');

/** The repository's product source files (not tests), as paths from the root with `/`. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTestCode(path)) out.push(path);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return [...out, ...SOURCE_FILES.filter((f) => existsSync(join(ROOT, f)))].sort();
}

/**
 * The unit of the folder graph a file belongs to: `lib/<folder>` (or a file
 * directly in lib/, which is its own unit), `app`, `components`, or the
 * top-level folder or file.
 */
function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'lib') return parts.length > 2 ? `lib/${parts[1]}` : file;
  return parts[0]!;
}

/** The file an import of ours names, or null for a package. */
function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.'))
    base = relative(ROOT, normalize(join(ROOT, dirname(from), specifier)))
      .split('\\')
      .join('/');
  else return null;
  for (const ext of ['', ...EXTENSIONS]) {
    const candidate = join(ROOT, base + ext);
    if (existsSync(candidate) && statSync(candidate).isFile()) return base + ext;
  }
  return base;
}

interface Import {
  from: string;
  to: string;
  specifier: string;
}

/** Every import of ours in the source files: declarations, re-exports, `import()` and `import('…').T`, type-only ones too. */
function importsOf(files: string[]): Import[] {
  return files.flatMap((from) =>
    ts.preProcessFile(readFileSync(join(ROOT, from), 'utf8'), true, true).importedFiles.flatMap(({ fileName: specifier }) => {
      const to = resolveImport(from, specifier);
      return to === null ? [] : [{ from, to, specifier }];
    }),
  );
}

/** A cycle in a directed graph, as its nodes in order with the first repeated at the end; null if there is none. */
function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...edges.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

// A statement as our repositories write them (lower-case keywords), at the start of a string.
const SQL = /^\s*(select\s[\s\S]*\sfrom\s|insert\s+into\s|update\s+"?\w+"?\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\()/;

/** The SQL statements written in a source text: string and template literals that start like one. */
function sqlIn(text: string, fileName = 'x.ts'): string[] {
  const source = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    false,
    fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    let literal: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node)) literal = node.head.text + node.templateSpans.map((s) => `\${…}${s.literal.text}`).join('');
    if (literal !== undefined && SQL.test(literal)) found.push(literal.trim().split('\n')[0]!);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles();
const imports = importsOf(files);

describe('the helpers of this test', () => {
  it('find a cycle, and none in a graph without one', () => {
    const graph = (pairs: [string, string][]) => {
      const edges = new Map<string, Set<string>>();
      for (const [a, b] of pairs) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      return edges;
    };
    expect(
      findCycle(
        graph([
          ['lib/a', 'lib/b'],
          ['lib/b', 'lib/c'],
          ['lib/c', 'lib/a'],
          ['app', 'lib/a'],
        ]),
      ),
    ).toEqual(['lib/a', 'lib/b', 'lib/c', 'lib/a']);
    expect(
      findCycle(
        graph([
          ['app', 'lib/a'],
          ['app', 'lib/b'],
          ['lib/a', 'lib/b'],
        ]),
      ),
    ).toBeNull();
  });

  it('tell SQL from other strings', () => {
    const text = [
      `db.query('select "disabled" from "auth_users" where "id" = $1', [id]);`,
      'db.query(`insert into runs (id) values ($1)`);',
      'db.query(`update contacts set name = ${"$"}2 where id = $1`);',
      `const label = 'Select a flow from the list';`,
      `const hint = 'delete the file to make a new one';`,
    ].join('\n');
    expect(sqlIn(text)).toEqual([
      'select "disabled" from "auth_users" where "id" = $1',
      'insert into runs (id) values ($1)',
      'update contacts set name = ${…}2 where id = $1',
    ]);
  });

  it('put a file in its folder of lib/, or its top-level folder', () => {
    expect([unitOf('lib/runtime/effects/send-text.ts'), unitOf('lib/env.ts'), unitOf('app/api/route.ts'), unitOf('server.ts')]).toEqual([
      'lib/runtime',
      'lib/env.ts',
      'app',
      'server.ts',
    ]);
  });
});

describe('the architecture', () => {
  it('reads the source tree', () => {
    expect(files).toContain('lib/runtime/engine.ts');
    expect(imports.some((i) => i.from === 'lib/runtime/engine.ts' && i.to.startsWith('lib/db/'))).toBe(true);
  });

  it('has no import cycle between folders (lib/<folder>, app, components)', () => {
    const edges = new Map<string, Set<string>>();
    const example = new Map<string, Import>();
    for (const i of imports) {
      const [a, b] = [unitOf(i.from), unitOf(i.to)];
      if (a === b) continue;
      edges.set(a, (edges.get(a) ?? new Set()).add(b));
      if (!example.has(`${a} ${b}`)) example.set(`${a} ${b}`, i);
    }
    const cycle = findCycle(edges);
    const described = cycle?.slice(1).map((to, k) => {
      const i = example.get(`${cycle[k]} ${to}`)!;
      return `${cycle[k]} → ${to} (${i.from} imports '${i.specifier}')`;
    });
    expect(described ?? 'no cycle').toBe('no cycle');
  });

  it('spells every import from lib/ or components/ that leaves its folder from the root (`@/…`), the form the layer rule sees', () => {
    const layered = (file: string) => file.startsWith('lib/') || file.startsWith('components/');
    const climbing = imports.filter((i) => layered(i.from) && unitOf(i.from) !== unitOf(i.to) && !i.specifier.startsWith('@/'));
    expect(climbing.map((i) => `${i.from} imports '${i.specifier}'`)).toEqual([]);
  });

  it('gives every folder and file of lib/ a layer in eslint.config.js', () => {
    const config = readFileSync(join(ROOT, 'eslint.config.js'), 'utf8');
    const units = [...new Set(files.filter((f) => f.startsWith('lib/')).map(unitOf))];
    expect(units.length).toBeGreaterThan(10);
    expect(units.filter((u) => !config.includes(`'${u}'`))).toEqual([]);
  });

  it('has no SQL outside lib/db (only repositories touch SQL)', () => {
    const outside = files
      .filter((f) => !f.startsWith('lib/db/'))
      .flatMap((f) => sqlIn(readFileSync(join(ROOT, f), 'utf8'), f).map((statement) => `${f}: ${statement}`));
    expect(outside).toEqual([]);
  });
});
