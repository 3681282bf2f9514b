import { describe, expect, it } from 'vitest';
import { dirsAbove, firstBlockedDir, unreachableMessage, type DirEntry } from './embedded-access';

const POSTGRES = { uid: 101, gids: [104] };
const dir = (p: string, mode: number, uid = 0, gid = 0): DirEntry => ({ path: p, mode: 0o40000 | mode, uid, gid });

describe('whether the postgres user can reach the embedded server', () => {
  it('lists the directories from the root down', () => {
    expect(dirsAbove('/root/app/node_modules')).toEqual(['/', '/root', '/root/app', '/root/app/node_modules']);
  });

  it("finds the first directory it cannot enter: root's home, a mktemp -d", () => {
    const home = [dir('/', 0o755), dir('/root', 0o700), dir('/root/app', 0o755)];
    expect(firstBlockedDir(home, POSTGRES)?.path).toBe('/root');
    const tmp = [dir('/', 0o755), dir('/tmp', 0o1777), dir('/tmp/tmp.x', 0o700)];
    expect(firstBlockedDir(tmp, POSTGRES)?.path).toBe('/tmp/tmp.x');
    // A user that does not exist yet (the package creates it) has only the "others" bits.
    expect(firstBlockedDir(tmp, { gids: [] })?.path).toBe('/tmp/tmp.x');
  });

  it('lets it through where others, its group or it as owner may search', () => {
    expect(firstBlockedDir([dir('/', 0o755), dir('/opt/optline', 0o711)], POSTGRES)).toBeUndefined();
    expect(firstBlockedDir([dir('/srv', 0o750, 0, 104)], POSTGRES)).toBeUndefined();
    expect(firstBlockedDir([dir('/var/lib/pg', 0o700, 101, 104)], POSTGRES)).toBeUndefined();
    // Its own directory without the owner's x is closed to it even if others may enter.
    expect(firstBlockedDir([dir('/d', 0o605, 101, 0)], POSTGRES)?.path).toBe('/d');
    // The group's bits decide for a member, not the others' bits.
    expect(firstBlockedDir([dir('/d', 0o705, 0, 104)], POSTGRES)?.path).toBe('/d');
  });

  it('says what to do in one sentence, naming the directory and its mode', () => {
    const message = unreachableMessage(dir('/root', 0o700), { binaries: true });
    expect(message).toBe(
      'running as root, the embedded Postgres server runs as the system user "postgres", which cannot enter /root (mode 700) ' +
        'to reach its programs (in node_modules) and its data: move Optline to a directory every user can enter (such as /opt/optline), ' +
        'or run it as a user other than root, or set DATABASE_URL to a Postgres server of your own.',
    );
    expect(message).not.toContain('\n');
    expect(unreachableMessage(undefined, { binaries: false })).toBeUndefined();
  });
});
