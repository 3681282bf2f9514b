/** What a CLI command may touch: injected so commands are testable without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  /** The current instant; only the CLI edge reads the clock. */
  now(): Date;
  env: Record<string, string | undefined>;
}

/** Bad arguments: the CLI prints the message and the command's usage line, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A CLI command: returns the exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

export interface CommandSpec {
  run: CliCommand;
  usage: string;
  summary: string;
}
