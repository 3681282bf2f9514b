import { evaluateSend } from '@/lib/compliance/evaluate-send';
import { isKnownZone } from '@/lib/compliance/local-time';
import { isUsState } from '@/lib/compliance/states';
import type { ConsentLevel, Purpose } from '@/lib/compliance/types';
import { flagValue, parseArgs } from '@/lib/cli/args';
import { UsageError, type CommandSpec } from '@/lib/cli/io';

const usage =
  'optline check-send --phone <E.164> [--zone <IANA>] [--zip <zip>] [--state <XX>] --purpose marketing|informational --at <ISO instant with offset> [--consent granted|informational|missing|revoked] [--answering] [--sent <ISO>,<ISO>…] [--json]';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(flag: string, text: string): Date {
  if (!ISO_WITH_OFFSET.test(text) || Number.isNaN(Date.parse(text))) {
    throw new UsageError(`--${flag}: "${text}" is not an ISO instant with an offset, like 2026-03-10T07:59:00-04:00`);
  }
  return new Date(text);
}

/** `optline check-send`: the send-time decision for one contact, purpose and instant. Exit 0 whatever the verdict. */
export const checkSendCommand: CommandSpec = {
  usage,
  summary: 'decide whether a text may be sent now: allow, defer (until when) or block',
  async run(args, io) {
    const parsed = parseArgs(args, {
      values: ['phone', 'zone', 'zip', 'state', 'purpose', 'at', 'consent', 'sent'],
      booleans: ['answering', 'json'],
    });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const phone = flagValue(parsed, 'phone');
    if (!phone) throw new UsageError('--phone is required');
    if (!/^\+[1-9]\d{7,14}$/.test(phone)) throw new UsageError(`--phone: "${phone}" is not an E.164 number like +12125550100`);
    const zone = flagValue(parsed, 'zone');
    if (zone !== undefined && !isKnownZone(zone)) throw new UsageError(`--zone: "${zone}" is not an IANA time zone like America/Chicago`);
    const zip = flagValue(parsed, 'zip');
    if (zip !== undefined && !/^\d{5}(-\d{4})?$/.test(zip)) throw new UsageError(`--zip: "${zip}" is not a US ZIP code like 10001`);
    const state = flagValue(parsed, 'state');
    if (state !== undefined && !isUsState(state)) throw new UsageError(`--state: "${state}" is not a two-letter US state like FL`);
    const purpose = flagValue(parsed, 'purpose');
    if (purpose !== 'marketing' && purpose !== 'informational') throw new UsageError('--purpose must be marketing or informational');
    const atText = flagValue(parsed, 'at');
    if (!atText) throw new UsageError('--at is required');
    const consent = flagValue(parsed, 'consent') ?? 'granted';
    if (!['granted', 'informational', 'missing', 'revoked'].includes(consent))
      throw new UsageError('--consent must be granted, informational, missing or revoked');
    const sent = flagValue(parsed, 'sent');
    const recentSends = sent ? sent.split(',').map((s) => instant('sent', s.trim())) : [];

    const decision = evaluateSend({
      contact: { phone, ...(zone ? { zone } : {}), ...(zip ? { zip } : {}), ...(state ? { state } : {}) },
      purpose: purpose as Purpose,
      at: instant('at', atText),
      consent: consent as ConsentLevel,
      answering: parsed.flags.has('answering'),
      recentSends,
    });
    if (parsed.flags.has('json')) io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
    else
      io.stdout(
        `${decision.verdict.toUpperCase()} (${decision.rule}): ${decision.reason}${decision.until ? `\n  until ${decision.until}` : ''}\n  zones: ${decision.zones.join(', ')}; states: ${decision.states.join(', ') || 'unknown'}\n`,
      );
    return 0;
  },
};
