#!/usr/bin/env node
// The `optline` command: runs the TypeScript CLI through tsx, so it works the
// same from this repository and where Optline is installed as a dependency.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// Optline's own tsconfig.json (its `@/` imports), wherever the command runs from.
register({ tsconfig: join(root, 'tsconfig.json') });
const { runCli, processIo } = await import(join(root, 'lib/cli/main.ts'));
process.exitCode = await runCli(process.argv.slice(2), processIo);
