import { describe, expect, it } from 'vitest';
import { classifyReply } from '@/lib/compliance/classify-reply';
import { UsageError } from '@/lib/cli/io';
import { memoryIo } from '@/lib/cli/testing';
import { classifyCommand } from './classify';

describe('optline classify', () => {
  it('prints the intent the runtime reads in a reply', async () => {
    const t = memoryIo();
    expect(await classifyCommand.run(['quit messaging me pls'], t.io)).toBe(0);
    expect(t.stdout()).toBe('stop\n');
  });

  it('says when a reply is ambiguous', async () => {
    const t = memoryIo();
    expect(await classifyCommand.run(["I'll stop by at 3"], t.io)).toBe(0);
    expect(t.stdout()).toBe('other (ambiguous: may get one clarifying text)\n');
  });

  it('prints the same result as classifyReply with --json', async () => {
    for (const text of ['ya no me envíen mensajes', 'does the sale end Friday?', 'HELP', 'Sí']) {
      const t = memoryIo();
      expect(await classifyCommand.run([text, '--json'], t.io)).toBe(0);
      expect(JSON.parse(t.stdout())).toEqual(classifyReply(text));
    }
  });

  it('refuses a missing reply', async () => {
    await expect(classifyCommand.run([], memoryIo().io)).rejects.toThrow(UsageError);
  });
});
