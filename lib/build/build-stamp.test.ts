import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideBuild, hashBuildInputs, isBuildInput, listBuildInputs, readStamp, STAMP_FILE } from './build-stamp';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A source tree on disk (no git): the files given, as `path: content`. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'optline-build-'));
  dirs.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const SOURCES = {
  'package.json': '{"name":"x"}',
  'package-lock.json': '{"lockfileVersion":3}',
  'next.config.js': 'export default {};',
  'app/page.tsx': 'export default function Page() { return null; }',
  'lib/a.ts': 'export const a = 1;',
};

describe('decideBuild', () => {
  it('builds when there is no build, no stamp, or the sources changed; not when they are the same', () => {
    expect(decideBuild({ inputHash: 'h1', stamp: { inputHash: 'h1' }, hasBuild: false })).toEqual({
      build: true,
      reason: 'there is no build yet',
    });
    expect(decideBuild({ inputHash: 'h1', stamp: null, hasBuild: true })).toMatchObject({ build: true });
    expect(decideBuild({ inputHash: 'h2', stamp: { inputHash: 'h1' }, hasBuild: true })).toEqual({
      build: true,
      reason: 'the sources changed since the last build',
    });
    expect(decideBuild({ inputHash: 'h1', stamp: { inputHash: 'h1' }, hasBuild: true })).toEqual({
      build: false,
      reason: 'the sources are unchanged since the last build',
    });
  });
});

describe('the build inputs (a tree without git, as from an npm tarball)', () => {
  it('hashes sources, the lock file and config; a change to any of them changes the hash', () => {
    const root = tree(SOURCES);
    const before = hashBuildInputs(root, {});
    expect(hashBuildInputs(root, {})).toBe(before);
    for (const file of ['lib/a.ts', 'package-lock.json', 'next.config.js']) {
      const changed = tree({ ...SOURCES, [file]: `${SOURCES[file as keyof typeof SOURCES]} ` });
      expect(hashBuildInputs(changed, {}), file).not.toBe(before);
    }
    // A new file, or one renamed, is a change too.
    expect(hashBuildInputs(tree({ ...SOURCES, 'lib/b.ts': '' }), {})).not.toBe(before);
    const { ['lib/a.ts']: a, ...rest } = SOURCES;
    expect(hashBuildInputs(tree({ ...rest, 'lib/c.ts': a }), {})).not.toBe(before);
  });

  it('ignores the build, dependencies, tests and docs; reads NEXT_PUBLIC_ variables only', () => {
    const root = tree(SOURCES);
    const before = hashBuildInputs(root, { PATH: '/bin' });
    const noisy = tree({
      ...SOURCES,
      '.next/BUILD_ID': 'abc',
      [STAMP_FILE]: '{"inputHash":"x"}',
      'node_modules/dep/index.js': '',
      'lib/a.test.ts': 'test',
      'docs/architecture.md': '# doc',
      'e2e/pages.spec.ts': '',
      'README.md': 'readme',
    });
    expect(hashBuildInputs(noisy, { PATH: '/usr/bin', DATABASE_URL: 'postgres://x' })).toBe(before);
    expect(hashBuildInputs(root, { NEXT_PUBLIC_X: '1' })).not.toBe(before);
    expect(listBuildInputs(noisy)).toEqual(Object.keys(SOURCES).sort());
    expect(isBuildInput('lib/db/migrate.ts')).toBe(true);
    expect(isBuildInput('components/x.test.tsx')).toBe(false);
  });

  it('reads a stamp written after a build, and none from a missing or broken file', () => {
    const root = tree(SOURCES);
    expect(readStamp(root)).toBeNull();
    mkdirSync(path.join(root, '.next'));
    writeFileSync(path.join(root, STAMP_FILE), 'not json');
    expect(readStamp(root)).toBeNull();
    writeFileSync(path.join(root, STAMP_FILE), '{"inputHash":"abc"}');
    expect(readStamp(root)).toEqual({ inputHash: 'abc' });
  });
});

describe('the build inputs in a git work tree', () => {
  it("lists git's files, tracked and new, not the ignored ones, and agrees with the disk", () => {
    const root = tree({ ...SOURCES, '.gitignore': 'local.ts\n', 'local.ts': 'ignored' });
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', 'package.json', 'lib/a.ts'], { cwd: root });
    const listed = listBuildInputs(root);
    expect(listed).toEqual(['.gitignore', ...Object.keys(SOURCES)].sort());
    expect(listed).not.toContain('local.ts');
  });
});
