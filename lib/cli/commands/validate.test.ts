import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@/lib/cli/io';
import { memoryIo } from '@/lib/cli/testing';
import { validateCommand } from './validate';

const payByText = readFileSync(new URL('../../../workflows/pay-by-text.json', import.meta.url), 'utf8');
const reminder = readFileSync(new URL('../../../workflows/appointment-reminder.json', import.meta.url), 'utf8');

/** pay-by-text with the identity check skipped: one compliance error on edge e-notice-granted. */
function unverifiedPayment(): string {
  const doc = JSON.parse(payByText);
  doc.edges.find((e: { id: string }) => e.id === 'e-notice-granted').target = 'pay';
  return JSON.stringify(doc);
}

/** The reminder with an unconnected output: a warning only. */
function withWarning(): string {
  const doc = JSON.parse(reminder);
  doc.edges = doc.edges.filter((e: { id: string }) => e.id !== 'e-confirmed-failed');
  return JSON.stringify(doc);
}

describe('optline validate', () => {
  it('exits 0 and says the flow is valid when there is no problem', async () => {
    const t = memoryIo({ 'pay.json': payByText });
    expect(await validateCommand.run(['pay.json'], t.io)).toBe(0);
    expect(t.stdout()).toBe('pay.json: valid (0 errors, 0 warnings)\n');
    expect(t.stderr()).toBe('');
  });

  it('exits 0 with warnings, one line each', async () => {
    const t = memoryIo({ 'r.json': withWarning() });
    expect(await validateCommand.run(['r.json'], t.io)).toBe(0);
    expect(t.stdout()).toBe(
      'r.json: warning node confirmed: The "failed" output of "Confirmed" is not connected: a run that takes it ends there. [unconnected-output]\n' +
        'r.json: valid (0 errors, 1 warning)\n',
    );
  });

  it('exits 1 and names the blocked edge when the flow breaks a compliance rule', async () => {
    const t = memoryIo({ 'pay.json': unverifiedPayment() });
    expect(await validateCommand.run(['pay.json'], t.io)).toBe(1);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines[0]).toBe(
      'pay.json: error edge e-notice-granted: This path asks for a payment without verifying who is paying. Add a "Verify identity" step before it and continue from its "verified" output. [verify-before-pay]',
    );
    expect(lines.at(-1)).toMatch(/^pay\.json: not compliant \(1 error, \d+ warnings?\)$/);
  });

  it('exits 2 on a document that breaks the schema, with the JSON path', async () => {
    const doc = JSON.parse(payByText);
    doc.nodes[2].data.timeout = 'two days';
    const t = memoryIo({ 'bad.json': JSON.stringify(doc) });
    expect(await validateCommand.run(['bad.json'], t.io)).toBe(2);
    expect(t.stdout()).toBe(
      'bad.json: error nodes[2].data.timeout: "two days" is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D) [schema]\nbad.json: invalid (1 error, 0 warnings)\n',
    );
  });

  it('exits 2 when the file cannot be read or is not JSON', async () => {
    const missing = memoryIo();
    expect(await validateCommand.run(['nope.json'], missing.io)).toBe(2);
    expect(missing.stdout()).toContain("cannot read the file: ENOENT: no such file or directory, open 'nope.json' [schema]");
    const broken = memoryIo({ 'broken.json': '{ "schemaVersion": 1,' });
    expect(await validateCommand.run(['broken.json'], broken.io)).toBe(2);
    expect(broken.stdout()).toMatch(/^broken\.json: error \(document\): not valid JSON: /);
  });

  describe('--json', () => {
    it('prints exactly valid and problems for a compliant flow', async () => {
      const t = memoryIo({ 'r.json': withWarning() });
      expect(await validateCommand.run(['r.json', '--json'], t.io)).toBe(0);
      expect(JSON.parse(t.stdout())).toEqual({
        valid: true,
        problems: [
          {
            rule: 'unconnected-output',
            severity: 'warning',
            message: 'The "failed" output of "Confirmed" is not connected: a run that takes it ends there.',
            nodeId: 'confirmed',
          },
        ],
      });
    });

    it('lists a compliance error with its edge and node and exits 1', async () => {
      const t = memoryIo({ 'pay.json': unverifiedPayment() });
      expect(await validateCommand.run(['--json', 'pay.json'], t.io)).toBe(1);
      const out = JSON.parse(t.stdout());
      expect(out.valid).toBe(false);
      expect(out.problems[0]).toEqual({
        rule: 'verify-before-pay',
        severity: 'error',
        message:
          'This path asks for a payment without verifying who is paying. Add a "Verify identity" step before it and continue from its "verified" output.',
        nodeId: 'pay',
        edgeId: 'e-notice-granted',
      });
      for (const p of out.problems)
        expect(Object.keys(p).every((k) => ['rule', 'severity', 'message', 'nodeId', 'edgeId', 'path'].includes(k))).toBe(true);
    });

    it('reports schema errors with rule "schema" and a path, and exits 2', async () => {
      const doc = JSON.parse(payByText);
      doc.nodes[2].data.timeout = 'two days';
      const t = memoryIo({ 'bad.json': JSON.stringify(doc) });
      expect(await validateCommand.run(['bad.json', '--json'], t.io)).toBe(2);
      expect(JSON.parse(t.stdout())).toEqual({
        valid: false,
        problems: [
          {
            rule: 'schema',
            severity: 'error',
            message: '"two days" is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D)',
            path: 'nodes[2].data.timeout',
          },
        ],
      });
    });
  });

  it('refuses a missing or an extra argument, or an unknown option, as a usage error', async () => {
    await expect(validateCommand.run([], memoryIo().io)).rejects.toThrow(UsageError);
    await expect(validateCommand.run(['--json'], memoryIo().io)).rejects.toThrow('name the flow file to validate');
    await expect(validateCommand.run(['a.json', 'b.json'], memoryIo().io)).rejects.toThrow('unexpected argument "b.json"');
    await expect(validateCommand.run(['a.json', '--yaml'], memoryIo().io)).rejects.toThrow('unknown option --yaml');
  });
});
