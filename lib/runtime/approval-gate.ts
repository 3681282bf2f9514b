import { contentHash } from '@/lib/crypto/content-hash';
import { analysisReport, type AnalysisReport } from '@/lib/flow/analysis-report';
import { parseFlow } from '@/lib/flow/parse';
import type { Problem } from '@/lib/flow/problem';
import type { FlowDocument } from '@/lib/flow/schema';

/** What an approval is bound to: the content reviewed, and its analysis under a given analyzer. */
export interface ApprovalBinding {
  contentHash: string;
  analyzerVersion: string;
  reportHash: string;
}

/** A version's binding as of now: its stored content's hash and its report under the current analyzer. */
export type CurrentBinding =
  | { ok: true; contentHash: string; binding: ApprovalBinding; flow: FlowDocument; report: AnalysisReport }
  | { ok: false; contentHash: string; problems: Problem[] };

/** The verdict on a version: may it be activated and start runs? */
export type GateVerdict = { ok: true } | { ok: false; reason: string };

/** The SHA-256 of a report's canonical JSON (what an approval records). */
export function reportHash(report: AnalysisReport): string {
  return contentHash(report);
}

/** Recomputes a version's binding from its stored JSON (it may no longer parse under the current schema). */
export function currentBinding(content: unknown): CurrentBinding {
  const hash = contentHash(content);
  const parsed = parseFlow(content);
  if (!parsed.ok) return { ok: false, contentHash: hash, problems: parsed.problems };
  const report = analysisReport(parsed.flow);
  return {
    ok: true,
    contentHash: hash,
    flow: parsed.flow,
    report,
    binding: { contentHash: hash, analyzerVersion: report.analyzerVersion, reportHash: reportHash(report) },
  };
}

/**
 * Whether a version may run: it has an approval, and that approval's binding
 * still holds — the stored JSON still hashes to the approved content hash,
 * and its analysis under the current analyzer is the one the reviewer saw
 * (same ANALYZER_VERSION, same report hash), and it was not given by one of
 * the version's authors (four eyes). Anything else needs review again.
 * Checked on activation and at every run start.
 */
export function approvalVerdict(
  version: { contentHash: string; content: unknown },
  approval:
    | {
        decision: string;
        contentHash: string;
        analyzerVersion: string | null;
        reportHash: string | null;
        reviewer?: string;
        byAuthor?: boolean;
      }
    | undefined,
): GateVerdict {
  if (!approval || approval.decision !== 'approved') return { ok: false, reason: 'it has no approval' };
  // Approvals recorded before authors were tracked may have been given by an author.
  if (approval.byAuthor) {
    return {
      ok: false,
      reason: `it was approved by ${approval.reviewer ?? 'one of its authors'}, who submitted it or changed its draft: an author can never approve a version`,
    };
  }
  const now = currentBinding(version.content);
  if (now.contentHash !== approval.contentHash || now.contentHash !== version.contentHash) {
    return { ok: false, reason: 'its content no longer matches the content hash that was approved' };
  }
  if (!now.ok) return { ok: false, reason: 'its content is no longer a valid flow' };
  if (approval.analyzerVersion === null || approval.reportHash === null) {
    return { ok: false, reason: 'its approval predates approval bindings (no analyzer version or report hash was recorded)' };
  }
  if (approval.analyzerVersion !== now.binding.analyzerVersion) {
    return {
      ok: false,
      reason: `it was approved under analyzer ${approval.analyzerVersion}, and the analyzer is now ${now.binding.analyzerVersion}`,
    };
  }
  if (approval.reportHash !== now.binding.reportHash) {
    return { ok: false, reason: 'its analysis under the current analyzer differs from the report that was approved' };
  }
  return { ok: true };
}
