import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '@/lib/flow/compile';
import { parseFlowJson } from '@/lib/flow/parse';
import { UsageError } from '@/lib/cli/io';
import { memoryIo } from '@/lib/cli/testing';
import { compileCommand } from './compile';

const payByText = readFileSync(new URL('../../../workflows/pay-by-text.json', import.meta.url), 'utf8');

describe('optline compile', () => {
  it('prints the machine configuration of a flow as JSON and exits 0', async () => {
    const t = memoryIo({ 'pay.json': payByText });
    expect(await compileCommand.run(['pay.json'], t.io)).toBe(0);
    const parsed = parseFlowJson(payByText);
    if (!parsed.ok) throw new Error('template invalid');
    expect(JSON.parse(t.stdout())).toEqual(compileFlow(parsed.flow));
    expect(t.stdout().endsWith('}\n')).toBe(true);
    expect(t.stderr()).toBe('');
  });

  it('prints the problems of an invalid document and exits 2', async () => {
    const doc = JSON.parse(payByText);
    doc.nodes[2].data.timeout = 'two days';
    const t = memoryIo({ 'bad.json': JSON.stringify(doc) });
    expect(await compileCommand.run(['bad.json'], t.io)).toBe(2);
    expect(t.stdout()).toBe('');
    expect(t.stderr()).toBe(
      'bad.json: error nodes[2].data.timeout: "two days" is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D) [schema]\n',
    );
  });

  it('names a JSON syntax error and exits 2', async () => {
    const t = memoryIo({ 'broken.json': '{ "schemaVersion": 1,' });
    expect(await compileCommand.run(['broken.json'], t.io)).toBe(2);
    expect(t.stderr()).toMatch(/^broken\.json: error \(document\): not valid JSON: /);
  });

  it('exits 2 when the file cannot be read', async () => {
    const t = memoryIo();
    expect(await compileCommand.run(['missing.json'], t.io)).toBe(2);
    expect(t.stderr()).toBe("missing.json: cannot read the file: ENOENT: no such file or directory, open 'missing.json'\n");
  });

  it('refuses a missing or an extra argument as a usage error', async () => {
    await expect(compileCommand.run([], memoryIo().io)).rejects.toThrow(UsageError);
    await expect(compileCommand.run(['a.json', 'b.json'], memoryIo().io)).rejects.toThrow('unexpected argument "b.json"');
    await expect(compileCommand.run(['a.json', '--json'], memoryIo().io)).rejects.toThrow('unknown option --json');
  });
});
