import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyReply } from '@/lib/compliance/classify-reply';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { flowOf, n } from '@/lib/flow/analyze/test-flows';
import type { FlowDocument, FlowNode, SplitCase } from '@/lib/flow/schema';
import { matchesSplitCase } from '@/lib/flow/split-case';
import { routeReply } from '@/lib/runtime/interpret/replies';
import { findBranchCaseProblems } from './branch-cases';

function branch(cases: SplitCase[], on: 'reply' | 'variable' = 'reply'): FlowNode {
  return { id: 'route', type: 'split', data: on === 'reply' ? { on, cases } : { on, variable: 'answer', cases } };
}

// start → ask → route, every branch (and else) wired to an end.
function flowWith(route: FlowNode): FlowDocument {
  const handles = route.type === 'split' ? [...route.data.cases.map((c) => c.handle), 'else'] : [];
  return flowOf(
    [n.api(), n.ask('ask', 'informational'), route, n.end('done')],
    ['start.next > ask', 'ask.reply > route', 'ask.timeout > done', ...handles.map((h) => `route.${h} > done`)],
  );
}

function branchWarnings(route: FlowNode): { rule: string; path?: string; message: string }[] {
  return analyzeFlow(flowWith(route))
    .problems.filter((p) => p.rule === 'keyword-case' || p.rule === 'shadowed-case')
    .map((p) => ({ rule: p.rule, path: p.path, message: p.message }));
}

describe('keyword-case', () => {
  it('warns that a branch on STOP can never be taken, naming the word', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'yes', equals: ['yes'] },
          { handle: 'optout', equals: ['STOP'] },
        ]),
      ),
    ).toEqual([
      {
        rule: 'keyword-case',
        path: 'nodes[2].data.cases[1]',
        message: 'The "optout" branch of Branch "route" can never be taken: "STOP" is a STOP, which ends the run before the flow sees it.',
      },
    ]);
  });

  it('reads the case texts with the runtime classifier: variants and requests are STOPs too', () => {
    expect(branchWarnings(branch([{ handle: 'quit', equals: ['stop texting me', 'unsubscibe', 'ya no me envíen mensajes'] }]))).toEqual([
      {
        rule: 'keyword-case',
        path: 'nodes[2].data.cases[0]',
        message:
          'The "quit" branch of Branch "route" can never be taken: "stop texting me" is a STOP, which ends the run before the flow sees it; ' +
          '"unsubscibe" is a STOP, which ends the run before the flow sees it; "ya no me envíen mensajes" is a STOP, which ends the run before the flow sees it.',
      },
    ]);
  });

  it('warns that a branch on HELP can never be taken', () => {
    expect(branchWarnings(branch([{ handle: 'info', equals: ['help'] }]))[0]?.message).toBe(
      'The "info" branch of Branch "route" can never be taken: "help" is a HELP, which Optline answers before the flow sees it.',
    );
  });

  it('names only the text that never matches when the branch has others', () => {
    expect(branchWarnings(branch([{ handle: 'no', equals: ['no', 'cancel'] }]))).toEqual([
      {
        rule: 'keyword-case',
        path: 'nodes[2].data.cases[0].equals[1]',
        message:
          '"cancel" in the "no" branch of Branch "route" never matches: "cancel" is a STOP, which ends the run before the flow sees it.',
      },
    ]);
  });

  it('does not warn about START (the flow sees it unless the number opted out), contains cases, or prose with a stop word', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'restart', equals: ['start'] },
          { handle: 'visit', equals: ["I'll stop by at 3"] },
          { handle: 'mentions', contains: ['stop'] },
        ]),
      ),
    ).toEqual([]);
  });

  it("agrees with the runtime's router: a text it calls a keyword never reaches the flow, one it does not call one can", () => {
    const texts = ['STOP', 'stop texting me', 'unsubscibe', 'HELP', 'start', 'yes', "I'll stop by at 3", 'cancel my subscription', 'info'];
    for (const text of texts) {
      const flagged = branchWarnings(branch([{ handle: 'x', equals: [text] }])).some((w) => w.rule === 'keyword-case');
      for (const consent of ['missing', 'informational', 'granted', 'revoked'] as const) {
        const route = routeReply(text, { consent, run: 'waiting', flowTakesIt: true }).to;
        if (flagged) expect(route).not.toBe('flow');
        else if (consent !== 'revoked') expect(route).toBe('flow');
      }
    }
  });

  it('does not read a variable branch as a reply', () => {
    expect(branchWarnings(branch([{ handle: 'stopped', equals: ['stop'] }], 'variable'))).toEqual([]);
  });
});

describe('shadowed-case', () => {
  it('warns about a case an earlier contains always catches', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'yes', contains: ['yes'] },
          { handle: 'eager', equals: ['Yes please'] },
        ]),
      ),
    ).toEqual([
      {
        rule: 'shadowed-case',
        path: 'nodes[2].data.cases[1]',
        message: 'The "eager" branch of Branch "route" can never be taken: the "yes" branch before it takes every text it matches.',
      },
    ]);
  });

  it('warns about equal cases, whatever their case and spaces', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'a', equals: ['maybe'] },
          { handle: 'b', equals: [' MAYBE '] },
        ]),
      ).map((w) => w.rule),
    ).toEqual(['shadowed-case']);
  });

  it('warns about a contains whose phrase contains an earlier one as a whole phrase', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'call', contains: ['call'] },
          { handle: 'later', contains: ['call me later'] },
        ]),
      ).map((w) => w.path),
    ).toEqual(['nodes[2].data.cases[1]']);
  });

  it('does not warn when some text reaches the later case', () => {
    expect(
      branchWarnings(
        branch([
          { handle: 'call', contains: ['call'] },
          { handle: 'recall', contains: ['recall'] },
          { handle: 'yes', equals: ['yes please'] },
          { handle: 'sure', contains: ['yes please'] },
        ]),
      ),
    ).toEqual([]);
  });

  it('checks variable branches too', () => {
    expect(
      branchWarnings(
        branch(
          [
            { handle: 'gold', contains: ['gold'] },
            { handle: 'vip', equals: ['gold member'] },
          ],
          'variable',
        ),
      ).map((w) => w.rule),
    ).toEqual(['shadowed-case']);
  });

  it('is sound: no reply the flow can see is taken by a case it calls never taken', () => {
    const word = fc.constantFrom('yes', 'no', 'call', 'me', 'later', 'stop', 'help', 'please', 'start');
    const phrase = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
    const splitCase = fc.record({ equals: fc.array(phrase, { maxLength: 2 }), contains: fc.array(phrase, { maxLength: 2 }) });
    const texts = fc.array(phrase, { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(fc.array(splitCase, { minLength: 1, maxLength: 4 }), texts, (raw, replies) => {
        const cases: SplitCase[] = raw
          .filter((c) => c.equals.length + c.contains.length > 0)
          .map((c, i) => ({
            handle: `c${i}`,
            ...(c.equals.length > 0 ? { equals: c.equals } : {}),
            ...(c.contains.length > 0 ? { contains: c.contains } : {}),
          }));
        if (cases.length === 0) return;
        const flow = flowWith(branch(cases));
        const dead = new Set(
          findBranchCaseProblems(flow)
            .filter((p) => /^nodes\[2\]\.data\.cases\[\d+\]$/.test(p.path ?? ''))
            .map((p) => Number(/\[(\d+)\]$/.exec(p.path!)![1])),
        );
        // Each reply the flow can see (not a STOP or HELP) is taken by the first case it matches: never by a dead one.
        const caseTexts = cases.flatMap((c) => [...(c.equals ?? []), ...(c.contains ?? [])]);
        for (const text of [...replies, ...caseTexts, ...caseTexts.map((t) => `${t} zz`)]) {
          const { intent } = classifyReply(text);
          if (intent === 'stop' || intent === 'help') continue;
          const taken = cases.findIndex((c) => matchesSplitCase(text, c));
          if (taken !== -1) expect(dead.has(taken)).toBe(false);
        }
      }),
    );
  });
});
