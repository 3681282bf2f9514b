import { describe, expect, it } from 'vitest';
import { runCli } from '@/lib/cli/main';
import { memoryIo } from '@/lib/cli/testing';

async function run(args: string[]) {
  const t = memoryIo();
  const code = await runCli(args, t.io);
  return { code, out: t.stdout(), err: t.stderr() };
}

describe('optline check-send', () => {
  it('prints the decision as JSON', async () => {
    const { code, out } = await run([
      'check-send',
      '--phone',
      '+12125550100',
      '--purpose',
      'informational',
      '--at',
      '2026-03-10T07:59:00-04:00',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      verdict: 'defer',
      rule: 'quiet-hours',
      until: '2026-03-10T12:00:00.000Z',
      zones: ['America/New_York'],
      states: ['NY'],
    });
  });

  it('takes consent, answering and recent sends', async () => {
    const revoked = await run([
      'check-send',
      '--phone',
      '+12125550100',
      '--purpose',
      'informational',
      '--at',
      '2026-03-10T12:00:00-04:00',
      '--consent',
      'revoked',
      '--json',
    ]);
    expect(JSON.parse(revoked.out)).toMatchObject({ verdict: 'block', rule: 'consent-required' });
    const answering = await run([
      'check-send',
      '--phone',
      '+12125550100',
      '--purpose',
      'informational',
      '--at',
      '2026-03-10T23:30:00-04:00',
      '--answering',
      '--json',
    ]);
    expect(JSON.parse(answering.out)).toMatchObject({ verdict: 'allow', rule: 'answering' });
    const capped = await run([
      'check-send',
      '--phone',
      '+13055550100',
      '--state',
      'FL',
      '--purpose',
      'marketing',
      '--at',
      '2026-05-05T12:00:00-04:00',
      '--sent',
      '2026-05-04T13:00:00-04:00,2026-05-05T09:00:00-04:00,2026-05-05T10:00:00-04:00',
      '--json',
    ]);
    expect(JSON.parse(capped.out)).toMatchObject({ verdict: 'defer', rule: 'frequency-cap', until: '2026-05-05T17:00:00.000Z' });
  });

  it('prints a readable line without --json', async () => {
    const { out } = await run(['check-send', '--phone', '+18505550100', '--purpose', 'informational', '--at', '2026-03-10T08:30:00-04:00']);
    expect(out).toBe(
      "DEFER (quiet-hours): Held until 08:00 (America/Chicago and 1 more zone): texts may go only between 08:00 and 21:00 in the contact's local time.\n  until 2026-03-10T13:00:00.000Z\n  zones: America/Chicago, America/New_York; states: FL\n",
    );
  });

  it.each([
    [['--purpose', 'informational', '--at', '2026-03-10T07:59:00-04:00'], '--phone is required'],
    [
      ['--phone', '2125550100', '--purpose', 'informational', '--at', '2026-03-10T07:59:00-04:00'],
      '--phone: "2125550100" is not an E.164 number like +12125550100',
    ],
    [['--phone', '+12125550100', '--at', '2026-03-10T07:59:00-04:00'], '--purpose must be marketing or informational'],
    [
      ['--phone', '+12125550100', '--purpose', 'informational', '--at', '2026-03-10T07:59:00'],
      '--at: "2026-03-10T07:59:00" is not an ISO instant with an offset, like 2026-03-10T07:59:00-04:00',
    ],
    [
      ['--phone', '+12125550100', '--purpose', 'informational', '--at', '2026-03-10T07:59:00Z', '--zone', 'Mars/Base'],
      '--zone: "Mars/Base" is not an IANA time zone like America/Chicago',
    ],
    [
      ['--phone', '+12125550100', '--purpose', 'informational', '--at', '2026-03-10T07:59:00Z', '--consent', 'yes'],
      '--consent must be granted, informational, missing or revoked',
    ],
  ])('refuses bad arguments with a usage line and exit 2 (%#)', async (args, message) => {
    const { code, err } = await run(['check-send', ...args]);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`optline check-send: ${message}`);
    expect(err).toContain('usage: optline check-send --phone');
  });
});

describe('optline classify', () => {
  it('prints the intent as JSON', async () => {
    expect(JSON.parse((await run(['classify', 'Stop texting me', '--json'])).out)).toEqual({ intent: 'stop', ambiguous: false });
    expect(JSON.parse((await run(['classify', "I'll stop by at 3", '--json'])).out)).toEqual({ intent: 'other', ambiguous: true });
  });

  it('prints a readable word without --json', async () => {
    expect((await run(['classify', 'HELP'])).out).toBe('help\n');
  });

  it('needs the text', async () => {
    const { code, err } = await run(['classify']);
    expect([code, err.split('\n')[0]]).toEqual([2, 'optline classify: the reply text is required']);
  });
});
