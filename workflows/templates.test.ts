import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import appointmentReminder from './appointment-reminder.json';
import { TEMPLATES } from './index';
import optinNotice from './optin-notice.json';
import payByText from './pay-by-text.json';

/** A fresh copy of a template, changed by `mutate`, validated like an import. */
function variant(template: unknown, mutate: (doc: FlowDocument) => void = () => {}): FlowDocument {
  const doc = structuredClone(template) as FlowDocument;
  mutate(doc);
  const parsed = parseFlow(doc);
  if (!parsed.ok) throw new Error(`the mutated template is invalid: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
  return parsed.flow;
}

function edge(doc: FlowDocument, id: string) {
  const e = doc.edges.find((x) => x.id === id);
  if (!e) throw new Error(`no edge ${id}`);
  return e;
}

function node(doc: FlowDocument, id: string) {
  const n = doc.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

const errorsOf = (doc: FlowDocument) =>
  analyzeFlow(doc)
    .problems.filter((p) => p.severity === 'error')
    .map(({ rule, edgeId, nodeId, path }) => ({ rule, edgeId, nodeId, path }));

describe('the built-in templates', () => {
  it.each(TEMPLATES.map((t) => [(t as { id: string }).id, t] as const))(
    '%s parses and analyzes with no error and no warning',
    (_id, template) => {
      const parsed = parseFlow(template);
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
      if (!parsed.ok) return;
      const analysis = analyzeFlow(parsed.flow);
      expect(analysis.problems).toEqual([]);
      expect(analysis.blockedEdges).toEqual([]);
      // Every edge of a template is crossed by some contact.
      expect(Object.keys(analysis.edges).sort()).toEqual(parsed.flow.edges.map((e) => e.id).sort());
    },
  );
});

describe('a template with its consent gate removed', () => {
  it('pay-by-text: starting straight at the ZIP check blocks exactly the edge into it', () => {
    const doc = variant(payByText, (d) => {
      edge(d, 'e-start-notice').target = 'verify';
    });
    expect(errorsOf(doc)).toEqual([{ rule: 'consent-required', edgeId: 'e-start-notice', nodeId: 'verify', path: undefined }]);
    expect(analyzeFlow(doc).blockedEdges).toEqual(['e-start-notice']);
  });

  it('appointment-reminder: starting straight at the reminder blocks exactly the edge into it', () => {
    const doc = variant(appointmentReminder, (d) => {
      edge(d, 'e-start-check').target = 'remind';
    });
    expect(errorsOf(doc)).toEqual([{ rule: 'consent-required', edgeId: 'e-start-check', nodeId: 'remind', path: undefined }]);
  });

  it('says in plain words why the edge is blocked', () => {
    const doc = variant(appointmentReminder, (d) => {
      edge(d, 'e-start-check').target = 'remind';
    });
    const [problem] = analyzeFlow(doc).problems;
    expect(problem?.message).toBe(
      'This path reaches a text without the contact\'s consent to be texted. Add an "Ask for consent" or "Check consent" step before it.',
    );
  });
});

describe('appointment-reminder scheduled at 07:00', () => {
  it('blocks the edge into the send-now reminder with quiet-hours', () => {
    const doc = variant(appointmentReminder, (d) => {
      const start = node(d, 'start');
      if (start.type !== 'trigger' || start.data.kind !== 'schedule') throw new Error('expected a schedule trigger');
      start.data.at = '07:00';
    });
    expect(errorsOf(doc)).toEqual([{ rule: 'quiet-hours', edgeId: 'e-check-granted', nodeId: 'remind', path: undefined }]);
    expect(analyzeFlow(doc).problems[0]?.message).toBe(
      'This path can reach "Reminder" at 07:00–07:15 (the contact\'s local time), outside the allowed hours 08:00–21:00, and it is set to send at once. Set it to hold the text until the window opens, or add a "Wait for a time window" step before it.',
    );
  });

  it('is fine again when the reminder holds its text instead of sending at once', () => {
    const doc = variant(appointmentReminder, (d) => {
      const start = node(d, 'start');
      if (start.type === 'trigger' && start.data.kind === 'schedule') start.data.at = '07:00';
      const remind = node(d, 'remind');
      if (remind.type === 'message.ask') remind.data.outsideHours = 'defer';
    });
    expect(errorsOf(doc)).toEqual([]);
  });
});

describe('pay-by-text without the identity check', () => {
  it('blocks the edge from the granted notice straight to the payment link with verify-before-pay', () => {
    const doc = variant(payByText, (d) => {
      edge(d, 'e-notice-granted').target = 'pay';
    });
    expect(errorsOf(doc)).toEqual([{ rule: 'verify-before-pay', edgeId: 'e-notice-granted', nodeId: 'pay', path: undefined }]);
  });
});

describe('the opt-in notice without "STOP"', () => {
  it.each([
    ['optin-notice', optinNotice, 1],
    ['pay-by-text', payByText, 1],
  ] as const)('%s: reports optin-disclosures on the notice body', (_id, template, index) => {
    const doc = variant(template, (d) => {
      const notice = node(d, 'notice');
      if (notice.type === 'consent.request')
        notice.data.body = notice.data.body.replace('Reply STOP if you would like to decline, or HELP for help.', 'Reply HELP for help.');
    });
    expect(errorsOf(doc)).toEqual([{ rule: 'optin-disclosures', edgeId: undefined, nodeId: 'notice', path: `nodes[${index}].data.body` }]);
    expect(analyzeFlow(doc).blockedEdges).toEqual([]);
  });
});
