import { classifyReply, MAX_CLASSIFIED_LENGTH } from '@/lib/compliance/classify-reply';
import { formatPath, type Problem, type RuleId } from '@/lib/flow/problem';
import type { FlowDocument, SplitCase } from '@/lib/flow/schema';
import { matchesSplitCase } from '@/lib/flow/split-case';
import { nodeName } from './edge-rule';

type Alternative = { kind: 'equals' | 'contains'; text: string; index: number };
type Dead = { rule: RuleId; reason: string };

/**
 * Branch cases that can never be taken (COMPLIANCE.md, "Static rules"):
 * `keyword-case`, a reply case whose text the runtime answers before any flow
 * sees it (a STOP ends the run, a HELP is answered); `shadowed-case`, a case
 * whose every text an earlier case of the same branch already takes. A whole
 * case that can never be taken is one warning; otherwise each text that never
 * matches is one.
 */
export function findBranchCaseProblems(flow: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  // Each distinct case text is classified once per analysis: many branches share their texts ("yes", "no").
  const keywords = new Map<string, Dead | undefined>();
  const keywordOfText = (alt: Alternative): Dead | undefined => {
    if (alt.kind !== 'equals') return undefined;
    if (!keywords.has(alt.text)) keywords.set(alt.text, keywordOf(alt));
    return keywords.get(alt.text);
  };
  flow.nodes.forEach((node, i) => {
    if (node.type !== 'split') return;
    const { cases, on } = node.data;
    cases.forEach((c, j) => {
      const alternatives = alternativesOf(c);
      const dead = alternatives.map((alt) => (on === 'reply' ? keywordOfText(alt) : undefined) ?? shadowOf(alt, cases.slice(0, j)));
      const branch = `the "${c.handle}" branch of ${nodeName(node)}`;
      if (dead.every((d) => d !== undefined)) {
        const found = dead as Dead[];
        problems.push({
          rule: found.some((d) => d.rule === 'keyword-case') ? 'keyword-case' : 'shadowed-case',
          severity: 'warning',
          nodeId: node.id,
          path: formatPath(['nodes', i, 'data', 'cases', j]),
          message: `${capitalize(branch)} can never be taken: ${[...new Set(found.map((d) => d.reason))].join('; ')}.`,
        });
        return;
      }
      dead.forEach((d, k) => {
        if (d === undefined) return;
        const alt = alternatives[k]!;
        problems.push({
          rule: d.rule,
          severity: 'warning',
          nodeId: node.id,
          path: formatPath(['nodes', i, 'data', 'cases', j, alt.kind, alt.index]),
          message: `${JSON.stringify(alt.text)} in ${branch} never matches: ${d.reason}.`,
        });
      });
    });
  });
  return problems;
}

function alternativesOf(c: SplitCase): Alternative[] {
  return [
    ...(c.equals ?? []).map((text, index) => ({ kind: 'equals' as const, text, index })),
    ...(c.contains ?? []).map((text, index) => ({ kind: 'contains' as const, text, index })),
  ];
}

// Replies a flow never sees: the runtime and the simulator route every text with routeReply (lib/runtime/interpret/replies.ts),
// which takes a STOP or a HELP before any flow.
// Sound for `equals` only: a text matching it has the same trimmed lower-case form, hence the same classification (classifyReply
// reads that form, and a case text under half of MAX_CLASSIFIED_LENGTH keeps any matching reply under it too: lower-casing at
// most doubles a length). `contains` is never decided here: prose around the word can reach the flow ("don't stop the reminders").
// START is not one: the runtime takes it only from a number that opted out; otherwise it reaches the flow as a reply.
function keywordOf(alt: Alternative): Dead | undefined {
  if (alt.kind !== 'equals' || alt.text.trim().length > MAX_CLASSIFIED_LENGTH / 2) return undefined;
  const { intent } = classifyReply(alt.text);
  const word = JSON.stringify(alt.text.trim());
  if (intent === 'stop') return { rule: 'keyword-case', reason: `${word} is a STOP, which ends the run before the flow sees it` };
  if (intent === 'help') return { rule: 'keyword-case', reason: `${word} is a HELP, which Optline answers before the flow sees it` };
  return undefined;
}

// Exact for both kinds. `equals e`: its only text (as cases compare it) is e itself. `contains p`: every text containing p also
// contains q when p contains q as a whole phrase; otherwise "p" followed by a word no case uses is taken by no earlier case.
function shadowOf(alt: Alternative, earlier: readonly SplitCase[]): Dead | undefined {
  const by = earlier.find((e) =>
    alt.kind === 'equals' ? matchesSplitCase(alt.text, e) : (e.contains ?? []).some((q) => matchesSplitCase(alt.text, { contains: [q] })),
  );
  return by === undefined
    ? undefined
    : { rule: 'shadowed-case', reason: `the "${by.handle}" branch before it takes every text it matches` };
}

function capitalize(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
