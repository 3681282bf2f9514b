import { compileFlow } from '@/lib/flow/compile';
import { parseFlowJson } from '@/lib/flow/parse';
import { formatProblem } from '@/lib/flow/problem';
import { parseArgs } from '@/lib/cli/args';
import { UsageError, type CommandSpec } from '@/lib/cli/io';

const usage = 'optline compile <file>';

/** `optline compile <file>`: prints the XState machine configuration of a flow as JSON; an unreadable or invalid document exits 2. */
export const compileCommand: CommandSpec = {
  usage,
  summary: 'print the XState machine configuration a flow compiles to',
  async run(args, io) {
    const parsed = parseArgs(args, { values: [], booleans: [] });
    const [file, extra] = parsed.positionals;
    if (file === undefined) throw new UsageError('name the flow file to compile');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (err) {
      io.stderr(`${file}: cannot read the file: ${(err as Error).message}\n`);
      return 2;
    }
    const result = parseFlowJson(text);
    if (!result.ok) {
      io.stderr(result.problems.map((p) => `${file}: ${formatProblem(p)}\n`).join(''));
      return 2;
    }
    io.stdout(`${JSON.stringify(compileFlow(result.flow), null, 2)}\n`);
    return 0;
  },
};
