import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether `npm start` must run `next build`: only when the sources changed
 * since the last successful build. The build's inputs are hashed (each file's
 * path and bytes, and the NEXT_PUBLIC_ variables Next.js inlines); the hash
 * is written next to the build after it succeeds and compared on the next
 * start. Files come from git where the directory is a git work tree (tracked
 * and untracked-but-not-ignored), else from the disk (an npm tarball has no
 * .git), skipping the same folders either way.
 */

/** Where the stamp is kept: inside the build's folder, so deleting `.next` forces a build. */
export const STAMP_FILE = path.join('.next', 'optline-build-stamp.json');

/** What a successful build leaves behind for the next start to compare. */
export interface BuildStamp {
  inputHash: string;
}

/** Whether to build, and why, in one sentence for the log. */
export type BuildDecision = { build: true; reason: string } | { build: false; reason: string };

/** Decides whether to build from what is on disk: the inputs' hash now, the last stamp (if any) and whether a build is there. */
export function decideBuild(input: { inputHash: string; stamp: BuildStamp | null; hasBuild: boolean }): BuildDecision {
  if (!input.hasBuild) return { build: true, reason: 'there is no build yet' };
  if (!input.stamp) return { build: true, reason: 'the build has no stamp of the sources it was made from' };
  if (input.stamp.inputHash !== input.inputHash) return { build: true, reason: 'the sources changed since the last build' };
  return { build: false, reason: 'the sources are unchanged since the last build' };
}

// Folders that are outputs, dependencies or never part of the app's build.
const SKIPPED_DIRS = new Set(['node_modules', '.next', '.git', '.data', 'test-results', 'playwright-report', 'docs', 'e2e', 'bench']);

/** Whether a file (a path relative to the root, with `/`) is a build input: not in a skipped folder, not a test, not prose. */
export function isBuildInput(file: string): boolean {
  const parts = file.split('/');
  if (parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p))) return false;
  const name = parts.at(-1) ?? '';
  if (/\.test\.tsx?$/.test(name) || name.endsWith('.md') || name.endsWith('.tsbuildinfo')) return false;
  return true;
}

/** The files under `root` that may go into a build, sorted: git's list where `root` is a git work tree, else a walk of the disk. */
export function listBuildInputs(root: string): string[] {
  const files = gitFiles(root) ?? walk(root, '');
  return files.filter(isBuildInput).sort();
}

function gitFiles(root: string): string[] | null {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    // A subfolder of another repository is not our work tree: only trust git at our own root.
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (path.resolve(top) !== path.resolve(root)) return null;
    // Listed but deleted in the work tree (not yet committed): not an input.
    return out
      .toString()
      .split('\0')
      .filter((f) => f !== '' && isFile(path.join(root, f)));
  } catch {
    return null; // no git, or not a work tree
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function walk(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...walk(root, rel));
    } else if (entry.isFile()) files.push(rel);
  }
  return files;
}

/** The hash of the build's inputs under `root`: every input file's path and bytes, and the NEXT_PUBLIC_ variables in `env`. */
export function hashBuildInputs(root: string, env: Record<string, string | undefined>): string {
  const hash = createHash('sha256');
  for (const file of listBuildInputs(root)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  for (const key of Object.keys(env).sort()) {
    if (key.startsWith('NEXT_PUBLIC_')) hash.update(`${key}=${env[key] ?? ''}\0`);
  }
  return hash.digest('hex');
}

/** The stamp left by the last successful build under `root`, or null (none, or unreadable). */
export function readStamp(root: string): BuildStamp | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(root, STAMP_FILE), 'utf8')) as Partial<BuildStamp>;
    return typeof parsed.inputHash === 'string' ? { inputHash: parsed.inputHash } : null;
  } catch {
    return null;
  }
}
