import { flowJsonSchemaText } from '@/lib/flow/json-schema';
import { parseArgs, flagValue } from '@/lib/cli/args';
import { UsageError, type CommandSpec } from '@/lib/cli/io';

const usage = 'optline schema [--out <file>]';

/** `optline schema`: prints (or writes) the JSON Schema of the flow document. */
export const schemaCommand: CommandSpec = {
  usage,
  summary: 'print the JSON Schema of the flow document',
  async run(args, io) {
    const parsed = parseArgs(args, { values: ['out'], booleans: [] });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const out = flagValue(parsed, 'out');
    const text = flowJsonSchemaText();
    if (out) {
      await io.writeFile(out, text);
      io.stderr(`wrote ${out}\n`);
    } else io.stdout(text);
    return 0;
  },
};
