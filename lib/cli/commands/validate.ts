import { analyzeFlow } from '@/lib/flow/analyze/index';
import { parseFlowJson } from '@/lib/flow/parse';
import { formatProblem, hasErrors, type Problem } from '@/lib/flow/problem';
import { parseArgs } from '@/lib/cli/args';
import { UsageError, type CliIo, type CommandSpec } from '@/lib/cli/io';

const usage = 'optline validate <file> [--json]';

/** Exit codes: 0 no error (warnings allowed), 1 compliance errors, 2 unreadable or invalid document. */
type Verdict = { code: 0 | 1 | 2; problems: Problem[] };

async function validateFile(file: string, io: CliIo): Promise<Verdict> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    return {
      code: 2,
      problems: [{ rule: 'schema', severity: 'error', path: '(document)', message: `cannot read the file: ${(err as Error).message}` }],
    };
  }
  const parsed = parseFlowJson(text);
  if (!parsed.ok) return { code: 2, problems: parsed.problems };
  const { problems } = analyzeFlow(parsed.flow);
  return { code: hasErrors(problems) ? 1 : 0, problems };
}

/** A problem as `--json` lists it: the documented fields only, in a fixed order. */
function toJson(p: Problem) {
  return {
    rule: p.rule,
    severity: p.severity,
    message: p.message,
    ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}),
    ...(p.edgeId !== undefined ? { edgeId: p.edgeId } : {}),
    ...(p.path !== undefined ? { path: p.path } : {}),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const VERDICT_WORDS = { 0: 'valid', 1: 'not compliant', 2: 'invalid' } as const;

/**
 * `optline validate <file> [--json]`: checks a flow document, then analyzes
 * its compliance, and prints every problem; the exit code is the verdict.
 */
export const validateCommand: CommandSpec = {
  usage,
  summary: 'check a flow and its compliance (exit 0 valid, 1 compliance errors, 2 invalid document)',
  async run(args, io) {
    const parsed = parseArgs(args, { values: [], booleans: ['json'] });
    const [file, extra] = parsed.positionals;
    if (file === undefined) throw new UsageError('name the flow file to validate');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const { code, problems } = await validateFile(file, io);
    if (parsed.flags.has('json')) {
      io.stdout(`${JSON.stringify({ valid: code === 0, problems: problems.map(toJson) }, null, 2)}\n`);
      return code;
    }
    const errors = problems.filter((p) => p.severity === 'error').length;
    const lines = problems.map((p) => `${file}: ${formatProblem(p)}\n`);
    lines.push(`${file}: ${VERDICT_WORDS[code]} (${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')})\n`);
    io.stdout(lines.join(''));
    return code;
  },
};
