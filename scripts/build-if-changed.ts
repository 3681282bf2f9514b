/**
 * `npm start`'s first half: runs `next build` only when the build's inputs
 * changed since the last successful build (lib/build/build-stamp.ts), then
 * writes their hash next to the build. With `--always` (`npm run build`) it
 * builds whatever the stamp says, and stamps the build too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decideBuild, hashBuildInputs, readStamp, STAMP_FILE } from '../lib/build/build-stamp';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Hashed before the build: a file changed while it runs makes the next start build again.
const inputHash = hashBuildInputs(root, process.env);
const decision = process.argv.includes('--always')
  ? { build: true, reason: 'a build was asked for' }
  : decideBuild({ inputHash, stamp: readStamp(root), hasBuild: existsSync(path.join(root, '.next', 'BUILD_ID')) });
if (!decision.build) {
  console.log(`optline: ${decision.reason}: not building again (npm run build forces a build)`);
  process.exit(0);
}
console.log(`optline: building, because ${decision.reason}`);
const next = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
if (next.status !== 0) process.exit(next.status ?? 1);
writeFileSync(path.join(root, STAMP_FILE), `${JSON.stringify({ inputHash })}\n`);
