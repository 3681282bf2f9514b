import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { UsageError, type CliIo, type CommandSpec } from './io';
import { checkSendCommand } from './commands/check-send';
import { classifyCommand } from './commands/classify';
import { compileCommand } from './commands/compile';
import { ledgerCommand } from './commands/ledger';
import { schemaCommand } from './commands/schema';
import { validateCommand } from './commands/validate';

/** Every `optline` command, by name. */
export const COMMANDS: Record<string, CommandSpec> = {
  validate: validateCommand,
  compile: compileCommand,
  schema: schemaCommand,
  'check-send': checkSendCommand,
  classify: classifyCommand,
  ledger: ledgerCommand,
};

function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`);
  return `usage: optline <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "optline <command> --help" for a command's options.\n`;
}

/** Runs the CLI with the given arguments; returns the exit code (0 ok, 1 compliance errors, 2 bad input). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usageText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`optline: unknown command "${name}"\n\n${usageText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`optline ${name}: ${err.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

/** The real process's I/O. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  now: () => new Date(),
  env: process.env,
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`optline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
