import { describe, expect, it } from 'vitest';
import { analysisReport, problemKey, unacknowledgedWarnings } from './analysis-report';
import { ANALYZER_VERSION } from './analyze/index';
import type { FlowDocument } from './schema';
import { payByTextDocument } from './test-fixtures';

/** Pay by text with a node no path reaches: one unreachable-node warning. */
function withStrayNode(): FlowDocument {
  const doc = payByTextDocument();
  doc.nodes.push({ id: 'stray', type: 'end', position: { x: 0, y: 0 } });
  return doc;
}

describe('analysisReport', () => {
  it('names the analyzer version and gives each warning a key of its rule and node', () => {
    const report = analysisReport(withStrayNode());
    expect(report.analyzerVersion).toBe(ANALYZER_VERSION);
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w) => w.key)).toContain('unreachable-node:node:stray');
  });

  it('gives the same keys whatever order the nodes are listed in', () => {
    const doc = withStrayNode();
    const reordered = structuredClone(doc);
    reordered.nodes.reverse();
    expect(
      analysisReport(reordered)
        .warnings.map((w) => w.key)
        .sort(),
    ).toEqual(
      analysisReport(doc)
        .warnings.map((w) => w.key)
        .sort(),
    );
  });

  it('keys an error on an edge by its rule and edge', () => {
    const doc = payByTextDocument();
    doc.edges = doc.edges.map((e) => (e.id === 'e-notice-granted' ? { ...e, target: 'pay' } : e));
    const report = analysisReport(doc);
    expect(report.errors.map((p) => p.key)).toContain('verify-before-pay:edge:e-notice-granted');
    expect(report.blockedEdges).toContain('e-notice-granted');
  });

  it('builds field keys without the node index, and a flow-wide key from the rule', () => {
    expect(problemKey({ rule: 'segments', severity: 'warning', message: 'long', nodeId: 'long', path: 'nodes[3].data.body' })).toBe(
      'segments:node:long:data.body',
    );
    expect(problemKey({ rule: 'sender-id', severity: 'warning', message: 'x' })).toBe('sender-id:flow');
  });

  it('lists the warnings not acknowledged', () => {
    const report = analysisReport(withStrayNode());
    const keys = report.warnings.map((w) => w.key);
    expect(unacknowledgedWarnings(report, [])).toEqual(keys);
    expect(unacknowledgedWarnings(report, keys)).toEqual([]);
  });
});
