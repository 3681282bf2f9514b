import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './main';
import { memoryIo } from './testing';

describe('optline', () => {
  it('prints the usage and exits 2 without a command', async () => {
    const t = memoryIo();
    expect(await runCli([], t.io)).toBe(2);
    expect(t.stderr()).toMatch(/^usage: optline <command> \[options\]/);
  });

  it('names an unknown command and exits 2', async () => {
    const t = memoryIo();
    expect(await runCli(['vaildate'], t.io)).toBe(2);
    expect(t.stderr()).toMatch(/^optline: unknown command "vaildate"/);
  });

  it('turns a bad option into a usage line and exit 2', async () => {
    const t = memoryIo();
    expect(await runCli(['schema', '--bogus'], t.io)).toBe(2);
    expect(t.stderr()).toBe('optline schema: unknown option --bogus\nusage: optline schema [--out <file>]\n');
  });

  it("prints a command's usage for --help", async () => {
    const t = memoryIo();
    expect(await runCli(['schema', '--help'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^usage: optline schema/);
  });

  it('prints the JSON Schema', async () => {
    const t = memoryIo();
    expect(await runCli(['schema'], t.io)).toBe(0);
    expect(JSON.parse(t.stdout()).title).toBe('Optline flow document, version 1');
  });

  it('runs as a real process through bin/optline.js', async () => {
    const bin = new URL('../../bin/optline.js', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'schema']);
    expect(JSON.parse(stdout).$id).toBe('https://optline.dev/schema/flow-v1.json');
    const failed = await promisify(execFile)(process.execPath, [bin, 'nope']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
  });
});
