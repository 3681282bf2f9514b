import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSend, type SendRequest } from './evaluate-send';
import { localTimeParts } from './local-time';
import type { ContactLocation, Purpose } from './types';
import { isAllowedAt } from './window';

function decide(contact: ContactLocation, purpose: Purpose, at: string, extra: Partial<SendRequest> = {}) {
  return evaluateSend({ contact, purpose, at: new Date(at), consent: 'granted', answering: false, ...extra });
}
const until = (d: { until?: string }) => (d.until ? new Date(d.until).toISOString() : undefined);
const iso = (s: string) => new Date(s).toISOString();

describe('the public test table of COMPLIANCE.md', () => {
  it('defers a New York informational text at 07:59 to 08:00', () => {
    const d = decide({ phone: '+12125550100' }, 'informational', '2026-03-10T07:59:00-04:00');
    expect([d.verdict, d.rule, until(d)]).toEqual(['defer', 'quiet-hours', iso('2026-03-10T08:00:00-04:00')]);
  });
  it('allows it at 20:59', () => {
    expect(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T20:59:00-04:00').verdict).toBe('allow');
  });
  it('defers it at 21:00 to 08:00 the next morning', () => {
    expect(until(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T21:00:00-04:00'))).toBe(iso('2026-03-11T08:00:00-04:00'));
  });
  it('defers an Arizona text at 07:30 to 08:00 MST, with no daylight time in July', () => {
    const d = decide({ phone: '+16025550100' }, 'informational', '2026-07-01T07:30:00-07:00');
    expect(until(d)).toBe(iso('2026-07-01T08:00:00-07:00'));
    expect(d.zones).toEqual(['America/Phoenix']);
  });
  it('defers Florida marketing at 20:15 to 08:00 the next day (FL 08–20)', () => {
    const d = decide({ phone: '+13055550100', state: 'FL' }, 'marketing', '2026-05-05T20:15:00-04:00');
    expect([d.verdict, until(d)]).toEqual(['defer', iso('2026-05-06T08:00:00-04:00')]);
  });
  it('defers Florida marketing when 3 were sent in the last 24 hours (frequency cap)', () => {
    const recentSends = ['2026-05-04T13:00:00-04:00', '2026-05-05T09:00:00-04:00', '2026-05-05T10:00:00-04:00'].map((s) => new Date(s));
    const d = decide({ phone: '+13055550100', state: 'FL' }, 'marketing', '2026-05-05T12:00:00-04:00', { recentSends });
    expect([d.verdict, d.rule, until(d)]).toEqual(['defer', 'frequency-cap', iso('2026-05-05T13:00:00-04:00')]);
  });
  it('defers an 850 text at 08:30 Eastern to 08:00 Central (09:00 Eastern)', () => {
    const d = decide({ phone: '+18505550100' }, 'informational', '2026-03-10T08:30:00-04:00');
    expect(d.zones).toEqual(['America/Chicago', 'America/New_York']);
    expect(until(d)).toBe(iso('2026-03-10T09:00:00-04:00'));
    expect(d.untilLocal).toEqual([
      { zone: 'America/Chicago', local: '2026-03-10T08:00:00-05:00' },
      { zone: 'America/New_York', local: '2026-03-10T09:00:00-04:00' },
    ]);
  });
  it('defers Texas marketing on a Sunday at 10:00 to 12:00', () => {
    expect(until(decide({ phone: '+15125550100', state: 'TX' }, 'marketing', '2026-03-15T10:00:00-05:00'))).toBe(
      iso('2026-03-15T12:00:00-05:00'),
    );
  });
  it('blocks any text once consent is revoked', () => {
    const d = decide({ phone: '+12125550100' }, 'informational', '2026-03-10T12:00:00-04:00', { consent: 'revoked' });
    expect([d.verdict, d.rule]).toEqual(['block', 'consent-required']);
  });
  it('allows an answer to the contact at 23:30', () => {
    const d = decide({ phone: '+12125550100' }, 'informational', '2026-03-10T23:30:00-04:00', { answering: true });
    expect([d.verdict, d.rule]).toEqual(['allow', 'answering']);
  });
  it('defers 01:30 on the fall-back day to 08:00 -05:00', () => {
    expect(until(decide({ phone: '+12125550100' }, 'informational', '2026-11-01T01:30:00-04:00'))).toBe(iso('2026-11-01T08:00:00-05:00'));
  });
});

describe('consent', () => {
  it('lets marketing consent cover informational texts, and not the reverse', () => {
    expect(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T12:00:00-04:00', { consent: 'granted' }).verdict).toBe('allow');
    expect(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T12:00:00-04:00', { consent: 'informational' }).verdict).toBe(
      'allow',
    );
    const d = decide({ phone: '+12125550100' }, 'marketing', '2026-03-10T12:00:00-04:00', { consent: 'informational' });
    expect([d.verdict, d.rule, d.reason]).toEqual([
      'block',
      'consent-required',
      'Blocked: there is no marketing consent on record for this number.',
    ]);
  });
  it('blocks even an answer without consent', () => {
    expect(
      decide({ phone: '+12125550100' }, 'informational', '2026-03-10T23:30:00-04:00', { consent: 'missing', answering: true }).verdict,
    ).toBe('block');
  });
});

describe('daylight-saving days on the wall clock', () => {
  it.each([
    ['America/New_York', '2026-03-08T06:00:00Z', '2026-03-08T08:00:00-04:00'],
    ['America/Chicago', '2026-03-08T07:30:00Z', '2026-03-08T08:00:00-05:00'],
    ['America/Denver', '2026-03-08T08:30:00Z', '2026-03-08T08:00:00-06:00'],
    ['America/Los_Angeles', '2026-03-08T09:59:00Z', '2026-03-08T08:00:00-07:00'],
    ['America/New_York', '2026-11-01T06:30:00Z', '2026-11-01T08:00:00-05:00'],
    ['America/Chicago', '2026-11-01T07:30:00Z', '2026-11-01T08:00:00-06:00'],
    ['America/Denver', '2026-11-01T08:30:00Z', '2026-11-01T08:00:00-07:00'],
    ['America/Los_Angeles', '2026-11-01T09:30:00Z', '2026-11-01T08:00:00-08:00'],
  ])('in %s a text at %s waits until %s', (zone, at, expected) => {
    expect(until(decide({ zone }, 'informational', at))).toBe(iso(expected));
  });

  it('closes the window at 21:00 local on the spring-forward evening', () => {
    expect(decide({ zone: 'America/New_York' }, 'informational', '2026-03-08T20:59:00-04:00').verdict).toBe('allow');
    expect(decide({ zone: 'America/New_York' }, 'informational', '2026-03-08T21:00:00-04:00').verdict).toBe('defer');
  });
});

describe('zones without daylight time and territories', () => {
  it('keeps Arizona at 08:00 MST in winter and summer', () => {
    expect(until(decide({ phone: '+14805550100' }, 'informational', '2026-01-10T14:00:00Z'))).toBe(iso('2026-01-10T08:00:00-07:00'));
    expect(until(decide({ phone: '+14805550100' }, 'informational', '2026-07-10T14:00:00Z'))).toBe(iso('2026-07-10T08:00:00-07:00'));
  });
  it('uses Hawaii time for 808', () => {
    const d = decide({ phone: '+18085550100' }, 'informational', '2026-03-10T17:00:00Z');
    expect([d.zones, until(d)]).toEqual([['Pacific/Honolulu'], iso('2026-03-10T08:00:00-10:00')]);
  });
  it('waits for both Anchorage and Adak for 907', () => {
    const d = decide({ phone: '+19075550100' }, 'informational', '2026-03-10T16:30:00Z'); // 08:30 AKDT, 07:30 HDT
    expect([d.zones, until(d)]).toEqual([['America/Adak', 'America/Anchorage'], iso('2026-03-10T08:00:00-09:00')]);
  });
  it('uses Atlantic time for Puerto Rico, with no daylight time', () => {
    const d = decide({ phone: '+17875550100' }, 'informational', '2026-07-10T11:30:00Z');
    expect([d.zones, until(d)]).toEqual([['America/Puerto_Rico'], iso('2026-07-10T08:00:00-04:00')]);
  });
  it("gives 928 both Phoenix and the Navajo Nation's daylight time", () => {
    expect(decide({ phone: '+19285550100' }, 'informational', '2026-07-10T14:30:00Z').zones).toEqual(['America/Denver', 'America/Phoenix']);
    // 07:30 MST in Phoenix, 08:30 MDT on the Navajo Nation: wait for Phoenix.
    expect(until(decide({ phone: '+19285550100' }, 'informational', '2026-07-10T14:30:00Z'))).toBe(iso('2026-07-10T08:00:00-07:00'));
  });
  it('considers every US zone for a toll-free number', () => {
    const d = decide({ phone: '+18005550100' }, 'informational', '2026-03-10T14:00:00Z');
    expect(d.zones).toHaveLength(9);
    expect(until(d)).toBe(iso('2026-03-10T08:00:00-10:00')); // the last zone to wake is Hawaii
  });
});

describe('state windows for marketing', () => {
  // 2026-03-10 is a Tuesday, 2026-03-14 a Saturday, 2026-03-15 a Sunday.
  it.each([
    ['AL', '+12055550100', 'America/Chicago', '2026-03-15T12:00:00-05:00', 'defer', '2026-03-16T08:00:00-05:00'],
    ['CT', '+12035550100', 'America/New_York', '2026-03-10T08:30:00-04:00', 'defer', '2026-03-10T09:00:00-04:00'],
    ['KY', '+15025550100', 'America/New_York', '2026-03-10T09:30:00-04:00', 'defer', '2026-03-10T10:00:00-04:00'],
    ['LA', '+15045550100', 'America/Chicago', '2026-03-15T12:00:00-05:00', 'defer', '2026-03-16T08:00:00-05:00'],
    ['MD', '+14105550100', 'America/New_York', '2026-03-10T20:30:00-04:00', 'defer', '2026-03-11T08:00:00-04:00'],
    ['MA', '+16175550100', 'America/New_York', '2026-03-10T20:00:00-04:00', 'defer', '2026-03-11T08:00:00-04:00'],
    ['MI', '+13135550100', 'America/Detroit', '2026-03-10T08:30:00-04:00', 'defer', '2026-03-10T09:00:00-04:00'],
    ['MN', '+16125550100', 'America/Chicago', '2026-03-10T08:30:00-05:00', 'defer', '2026-03-10T09:00:00-05:00'],
    ['NV', '+17025550100', 'America/Los_Angeles', '2026-03-10T20:30:00-07:00', 'defer', '2026-03-11T09:00:00-07:00'],
    ['NJ', '+12015550100', 'America/New_York', '2026-03-10T20:30:00-04:00', 'allow', undefined],
    ['NM', '+15055550100', 'America/Denver', '2026-03-10T08:30:00-06:00', 'defer', '2026-03-10T09:00:00-06:00'],
    ['OK', '+14055550100', 'America/Chicago', '2026-03-10T20:00:00-05:00', 'defer', '2026-03-11T08:00:00-05:00'],
    ['PA', '+12155550100', 'America/New_York', '2026-03-10T20:30:00-04:00', 'allow', undefined],
    ['RI', '+14015550100', 'America/New_York', '2026-03-14T09:30:00-04:00', 'defer', '2026-03-14T10:00:00-04:00'],
    ['RI', '+14015550100', 'America/New_York', '2026-03-10T18:00:00-04:00', 'defer', '2026-03-11T09:00:00-04:00'],
    ['SD', '+16055550100', 'America/Chicago', '2026-03-14T12:00:00-05:00', 'defer', '2026-03-16T09:00:00-05:00'],
    ['TX', '+12145550100', 'America/Chicago', '2026-03-15T11:59:00-05:00', 'defer', '2026-03-15T12:00:00-05:00'],
    ['UT', '+18015550100', 'America/Denver', '2026-03-15T12:00:00-06:00', 'defer', '2026-03-16T08:00:00-06:00'],
    ['WA', '+12065550100', 'America/Los_Angeles', '2026-03-10T20:00:00-07:00', 'defer', '2026-03-11T08:00:00-07:00'],
  ])('%s (%s): marketing at %s in %s is %s', (state, phone, zone, at, verdict, expected) => {
    const d = decide({ phone, zone, state }, 'marketing', at);
    expect([d.verdict, until(d)]).toEqual([verdict, expected ? iso(expected) : undefined]);
  });

  it("reads Mississippi's hours in Central Standard Time: 09:00 local while daylight time is in force", () => {
    expect(until(decide({ phone: '+16015550100', state: 'MS' }, 'marketing', '2026-06-10T08:30:00-05:00'))).toBe(
      iso('2026-06-10T09:00:00-05:00'),
    );
    expect(decide({ phone: '+16015550100', state: 'MS' }, 'marketing', '2026-01-13T08:30:00-06:00').verdict).toBe('allow');
  });

  it('bans marketing on a state holiday where the state bans it (PA, Christmas) and shifts observed holidays (FL, 3 July 2026)', () => {
    expect(until(decide({ phone: '+12155550100', state: 'PA' }, 'marketing', '2026-12-25T12:00:00-05:00'))).toBe(
      iso('2026-12-26T08:00:00-05:00'),
    );
    // Florida keeps its window on holidays; Alabama bans them: 3 July 2026 is the observed Independence Day.
    expect(decide({ phone: '+13055550100', state: 'FL' }, 'marketing', '2026-07-03T12:00:00-04:00').verdict).toBe('allow');
    expect(decide({ phone: '+12055550100', state: 'AL' }, 'marketing', '2026-07-03T12:00:00-05:00').verdict).toBe('defer');
  });

  it('applies the strictest of every state at once when the state is unknown', () => {
    const d = decide({ zone: 'America/New_York' }, 'marketing', '2026-03-14T12:00:00-04:00'); // a Saturday: SD bans it
    expect([d.states, until(d)]).toEqual([[], iso('2026-03-16T10:00:00-04:00')]); // Monday, KY's 10:00
  });

  it('applies both states when the area code presumes residency (FL) and the ZIP says elsewhere', () => {
    const d = decide({ phone: '+13055550100', zip: '10001' }, 'marketing', '2026-03-10T20:30:00-04:00');
    expect(d.states).toEqual(['FL', 'NY']);
    expect(d.verdict).toBe('defer');
  });

  it('lets informational texts follow the federal window in every state', () => {
    expect(decide({ phone: '+14015550100', state: 'RI' }, 'informational', '2026-03-15T20:30:00-04:00').verdict).toBe('allow');
  });
});

describe('frequency caps, answering and the operator pause', () => {
  const threeSends = ['2026-05-05T08:00:00-04:00', '2026-05-05T09:00:00-04:00', '2026-05-05T10:00:00-04:00'].map((s) => new Date(s));

  it('counts only the last 24 hours', () => {
    const old = ['2026-05-03T08:00:00-04:00', '2026-05-04T09:00:00-04:00', '2026-05-04T11:00:00-04:00'].map((s) => new Date(s));
    expect(decide({ phone: '+13055550100', state: 'FL' }, 'marketing', '2026-05-05T12:00:00-04:00', { recentSends: old }).verdict).toBe(
      'allow',
    );
  });

  it('moves a cap release that lands in quiet hours to the next opening', () => {
    const evening = ['2026-05-04T20:30:00-04:00', '2026-05-04T20:40:00-04:00', '2026-05-04T20:50:00-04:00'].map((s) => new Date(s));
    const d = decide({ phone: '+13055550100', state: 'FL' }, 'marketing', '2026-05-05T12:00:00-04:00', { recentSends: evening });
    // The cap releases at 20:30, after Florida's 20:00 close: the next allowed instant is 08:00.
    expect([d.rule, until(d)]).toEqual(['frequency-cap', iso('2026-05-06T08:00:00-04:00')]);
  });

  it('caps marketing to an unknown state, and not to a state without a cap', () => {
    expect(decide({ zone: 'America/New_York' }, 'marketing', '2026-05-05T12:00:00-04:00', { recentSends: threeSends }).rule).toBe(
      'frequency-cap',
    );
    expect(
      decide({ phone: '+12125550100', state: 'NY' }, 'marketing', '2026-05-05T12:00:00-04:00', { recentSends: threeSends }).verdict,
    ).toBe('allow');
  });

  it("allows an answer within 10 minutes of the contact's message, and not after", () => {
    const inboundAt = new Date('2026-03-10T23:20:00-04:00');
    expect(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T23:30:00-04:00', { answering: true, inboundAt }).verdict).toBe(
      'allow',
    );
    expect(decide({ phone: '+12125550100' }, 'informational', '2026-03-10T23:31:00-04:00', { answering: true, inboundAt }).verdict).toBe(
      'defer',
    );
  });

  it('blocks marketing to a paused state, and to an unknown state while a pause is on', () => {
    const d = decide({ phone: '+15045550100', state: 'LA' }, 'marketing', '2026-03-10T12:00:00-05:00', { pausedStates: ['LA'] });
    expect([d.verdict, d.rule]).toEqual(['block', 'state-paused']);
    expect(decide({ zone: 'America/Chicago' }, 'marketing', '2026-03-10T12:00:00-05:00', { pausedStates: ['LA'] }).rule).toBe(
      'state-paused',
    );
    expect(
      decide({ phone: '+15045550100', state: 'LA' }, 'informational', '2026-03-10T12:00:00-05:00', { pausedStates: ['LA'] }).verdict,
    ).toBe('allow');
  });
});

describe('the decision is exact (property)', () => {
  const contact = fc.oneof(
    fc
      .constantFrom(
        '+12125550100',
        '+18505550100',
        '+16025550100',
        '+19075550100',
        '+18085550100',
        '+17875550100',
        '+15125550100',
        '+19285550100',
        '+18005550100',
      )
      .map((phone) => ({ phone })),
    fc
      .constantFrom('America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix')
      .map((zone) => ({ zone })),
    fc
      .tuple(fc.constantFrom('+13055550100', '+14015550100', '+12055550100'), fc.constantFrom('FL', 'RI', 'AL', 'TX'))
      .map(([phone, state]) => ({ phone, state })),
  );
  const DAYS = ['2026-03-08', '2026-03-14', '2026-06-15', '2026-07-03', '2026-11-01', '2026-12-24', '2027-03-14', '2028-02-29'];
  const instant = fc
    .tuple(fc.constantFrom(...DAYS), fc.integer({ min: 0, max: 36 * 60 }))
    .map(([day, m]) => new Date(Date.parse(`${day}T00:00:00Z`) + m * 60_000));

  it('never allows outside the window in any zone, and defers to the earliest allowed minute (checked minute by minute for 48 hours)', () => {
    fc.assert(
      fc.property(contact, fc.constantFrom<Purpose>('informational', 'marketing'), instant, (c, purpose, at) => {
        const d = evaluateSend({ contact: c, purpose, at, consent: 'granted', answering: false });
        const rules = { purpose, states: d.states };
        if (d.verdict === 'allow') {
          for (const zone of d.zones) {
            const minutes = localTimeParts(at, zone).minutes;
            expect(minutes).toBeGreaterThanOrEqual(8 * 60);
            expect(minutes).toBeLessThan(21 * 60);
          }
          expect(isAllowedAt(at, d.zones, rules)).toBe(true);
          return;
        }
        if (d.verdict !== 'defer') return;
        const target = Date.parse(d.until!);
        for (let t = at.getTime(); t < Math.min(target, at.getTime() + 48 * 3_600_000); t += 60_000) {
          expect(isAllowedAt(new Date(t), d.zones, rules)).toBe(false);
        }
        expect(isAllowedAt(new Date(target), d.zones, rules)).toBe(true);
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
