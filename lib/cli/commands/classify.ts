import { classifyReply } from '@/lib/compliance/classify-reply';
import { parseArgs } from '@/lib/cli/args';
import { UsageError, type CommandSpec } from '@/lib/cli/io';

/** `optline classify "<text>"`: what a reply means to the runtime (stop, start, help, yes, no, other). */
export const classifyCommand: CommandSpec = {
  usage: 'optline classify "<text>" [--json]',
  summary: 'classify a reply: stop, start, help, yes, no or other',
  async run(args, io) {
    const parsed = parseArgs(args, { values: [], booleans: ['json'] });
    if (parsed.positionals.length !== 1)
      throw new UsageError(parsed.positionals.length === 0 ? 'the reply text is required' : 'give the reply as one quoted argument');
    const result = classifyReply(parsed.positionals[0]!);
    io.stdout(
      parsed.flags.has('json')
        ? `${JSON.stringify(result)}\n`
        : `${result.intent}${result.ambiguous ? ' (ambiguous: may get one clarifying text)' : ''}\n`,
    );
    return 0;
  },
};
