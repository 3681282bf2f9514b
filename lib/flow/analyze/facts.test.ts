import { describe, expect, it } from 'vitest';
import type { FlowNode } from '@/lib/flow/schema';
import { START_FACTS, factContext, joinFacts, scheduleTimes, transfer, type EdgeFacts } from './facts';
import { recentAfter, recentWithSend } from './recent-marketing';
import { n } from './test-flows';
import { ALL_DAY, timeWindow } from './time-set';

const strictest = factContext('strictest');
const federal = factContext('federal');
const at = (from: number, to: number): EdgeFacts => ({ ...START_FACTS, times: timeWindow(from, to) });
const outputs = (node: FlowNode, input: EdgeFacts = START_FACTS, ctx = strictest) => transfer(node, input, ctx);

describe('facts: triggers', () => {
  it('starts a scheduled run within 15 minutes of its time', () => {
    expect(outputs(n.schedule('10:00'))[0]!.times).toEqual([{ from: 600, to: 615 }]);
  });

  it('adds the hour after a scheduled time that does not exist on spring-forward day', () => {
    expect(scheduleTimes(150)).toEqual([
      { from: 150, to: 165 },
      { from: 210, to: 225 },
    ]);
  });

  it('starts api runs at any time, not answering; keyword runs answer the contact', () => {
    expect(outputs(n.api())[0]).toMatchObject({ times: ALL_DAY, answering: false });
    expect(outputs(n.keyword())[0]).toMatchObject({ times: ALL_DAY, answering: true });
  });
});

describe('facts: consent', () => {
  it('grants the checked purpose on "granted" and withdraws it on "missing"', () => {
    const [granted, missing] = outputs(n.check('c', 'marketing'));
    expect(granted!.consent).toEqual({ informational: true, marketing: true });
    expect(missing!.consent).toEqual({ informational: false, marketing: false });
    const informed = { ...START_FACTS, consent: { informational: true, marketing: false } };
    expect(outputs(n.check('c', 'marketing'), informed)[1]!.consent).toEqual({ informational: true, marketing: false });
    expect(
      outputs(n.check('c', 'informational'), { ...START_FACTS, consent: { informational: true, marketing: true } })[1]!.consent,
    ).toEqual({ informational: false, marketing: false });
  });

  it('grants on an explicit YES, which answers the contact at any time', () => {
    const [granted, declined, timeout] = outputs(n.optin('o', 'marketing', 'PT2H'), at(600, 615));
    expect(granted).toMatchObject({ consent: { informational: true, marketing: true }, answering: true, times: ALL_DAY, textSent: true });
    expect(declined).toMatchObject({ consent: { informational: false, marketing: false }, answering: true });
    // Held for the window (strictest marketing: any time), then 2 hours, or at once when undelivered.
    expect(timeout).toMatchObject({ consent: { informational: false, marketing: false }, answering: false, times: ALL_DAY });
  });

  it('grants an informational notice when its period passes, at the send times shifted by the period', () => {
    const [granted, declined] = outputs(n.notice('o', 'PT2H'), at(600, 615));
    expect(granted).toMatchObject({
      consent: { informational: true, marketing: false },
      answering: false,
      times: [{ from: 600, to: 1380 }],
    });
    expect(declined).toMatchObject({ consent: { informational: false, marketing: false }, times: ALL_DAY });
  });
});

describe('facts: texts', () => {
  it('sends a send-now text at arrival; a held text at arrival or within its window', () => {
    const info = { ...START_FACTS, times: timeWindow(360, 375), consent: { informational: true, marketing: true } };
    expect(outputs(n.send('s', 'informational', 'send'), info)[0]!.times).toEqual([{ from: 360, to: 375 }]);
    expect(outputs(n.send('s', 'informational'), info)[0]!.times).toEqual([
      { from: 360, to: 375 },
      { from: 480, to: 1260 },
    ]);
    // Marketing under strictest has no time that is safe every day: a held text can go at any hour.
    expect(outputs(n.send('s', 'marketing'), info)[0]!.times).toEqual(ALL_DAY);
    expect(outputs(n.send('s', 'marketing'), info, federal)[0]!.times).toEqual([
      { from: 360, to: 375 },
      { from: 480, to: 1260 },
    ]);
  });

  it('answers the contact after a reply, at any time, and not after the timeout', () => {
    const [reply, timeout] = outputs(n.ask('q', 'informational', 'PT1H', 'send'), at(600, 615));
    expect(reply).toMatchObject({ answering: true, times: ALL_DAY });
    expect(timeout).toMatchObject({
      answering: false,
      times: [
        { from: 600, to: 615 },
        { from: 660, to: 675 },
      ],
    });
  });

  it('marks the contact verified only on "verified"', () => {
    const [verified, failed] = outputs(n.verify('v'), at(600, 615));
    expect(verified).toMatchObject({ verified: true, answering: true, times: ALL_DAY });
    expect(failed).toMatchObject({ verified: false, answering: false, times: ALL_DAY });
  });

  it("treats payment outcomes as the contact's events and expiry as a timer from the request", () => {
    const [paid, failed, expired] = outputs(n.pay('p', 'PT3H'), at(600, 615));
    expect(paid).toMatchObject({ answering: true, times: ALL_DAY });
    expect(failed).toMatchObject({ answering: true, times: ALL_DAY });
    expect(expired).toMatchObject({ answering: false, times: [{ from: 660, to: 1440 }] });
  });
});

describe('facts: waits', () => {
  it('shifts by a wait and stops answering', () => {
    const [out] = outputs(n.wait('w', 'PT30M'), { ...at(600, 615), answering: true });
    expect(out).toMatchObject({ times: [{ from: 630, to: 645 }], answering: false });
  });

  it('narrows to a time window, keeping arrival times already inside it', () => {
    expect(outputs(n.window('w', '09:00', '17:00'), at(600, 615))[0]!.times).toEqual([{ from: 600, to: 615 }]);
    expect(outputs(n.window('w', '09:00', '17:00'), at(420, 615))[0]!.times).toEqual([{ from: 540, to: 1020 }]);
    expect(outputs(n.window('w', '22:00', '06:00'), START_FACTS)[0]!.times).toEqual([
      { from: 0, to: 360 },
      { from: 1320, to: 1440 },
    ]);
  });
});

describe('facts: recent marketing texts', () => {
  it('counts marketing texts under the strictest policy only', () => {
    const input = { ...START_FACTS, consent: { informational: true, marketing: true } };
    expect(outputs(n.send('m', 'marketing'), input)[0]!.recentMarketing).toEqual([0]);
    expect(outputs(n.send('m', 'marketing'), input)[1]!.recentMarketing).toEqual([]);
    expect(outputs(n.send('m', 'marketing'), input, federal)[0]!.recentMarketing).toEqual([]);
    expect(outputs(n.send('i', 'informational'), input)[0]!.recentMarketing).toEqual([]);
  });

  it('ages texts out after 24 hours and keeps the three newest', () => {
    expect(recentAfter([0, 600, 1000], 500)).toEqual([500, 1100]);
    expect(recentWithSend([10, 20, 30])).toEqual([0, 10, 20]);
  });
});

describe('facts: joining two paths', () => {
  it('keeps what both paths guarantee', () => {
    const a: EdgeFacts = {
      consent: { informational: true, marketing: true },
      verified: true,
      answering: true,
      times: timeWindow(600, 615),
      recentMarketing: [60],
      textSent: true,
    };
    const b: EdgeFacts = {
      consent: { informational: true, marketing: false },
      verified: false,
      answering: true,
      times: timeWindow(700, 715),
      recentMarketing: [120, 300],
      textSent: false,
    };
    expect(joinFacts(a, b)).toEqual({
      consent: { informational: true, marketing: false },
      verified: false,
      answering: true,
      times: [
        { from: 600, to: 615 },
        { from: 700, to: 715 },
      ],
      recentMarketing: [60, 300],
      textSent: false,
    });
  });
});
