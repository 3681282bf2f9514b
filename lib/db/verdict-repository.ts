import type { Queryable } from './queryable';

/** The analyzer's verdict on a flow version when it was submitted (table `flow_version_verdicts`, append-only). */
export interface Verdict {
  flowVersionId: string;
  /** The content hash the analyzer judged (always the version's own). */
  contentHash: string;
  /** ANALYZER_VERSION at the submission. */
  analyzerVersion: string;
  errorCount: number;
  warningCount: number;
  /** SHA-256 of the canonical analyzer report (what an approval binds to). */
  reportHash: string;
  submittedAt: Date;
}

export type NewVerdict = Omit<Verdict, 'submittedAt'>;

interface VerdictRow {
  flow_version_id: string;
  content_hash: string;
  analyzer_version: string;
  error_count: number;
  warning_count: number;
  report_hash: string;
  submitted_at: Date;
}

const COLUMNS = 'flow_version_id, content_hash, analyzer_version, error_count, warning_count, report_hash, submitted_at';

/** Submission verdicts over a pool or a transaction's client. */
export function verdictRepository(db: Queryable) {
  return {
    /** Records the verdict of a submission; call it in the submission's transaction. */
    async record(verdict: NewVerdict): Promise<Verdict> {
      const { rows } = await db.query<VerdictRow>(
        `insert into flow_version_verdicts (flow_version_id, content_hash, analyzer_version, error_count, warning_count, report_hash)
         values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
        [verdict.flowVersionId, verdict.contentHash, verdict.analyzerVersion, verdict.errorCount, verdict.warningCount, verdict.reportHash],
      );
      return toVerdict(rows[0]!);
    },

    /** A version's verdicts, oldest submission first (empty for a version submitted before verdicts were recorded). */
    async listVerdicts(flowVersionId: string): Promise<Verdict[]> {
      const { rows } = await db.query<VerdictRow>(
        `select ${COLUMNS} from flow_version_verdicts where flow_version_id = $1 order by submitted_at, id`,
        [flowVersionId],
      );
      return rows.map(toVerdict);
    },
  };
}

function toVerdict(r: VerdictRow): Verdict {
  return {
    flowVersionId: r.flow_version_id,
    contentHash: r.content_hash,
    analyzerVersion: r.analyzer_version,
    errorCount: r.error_count,
    warningCount: r.warning_count,
    reportHash: r.report_hash,
    submittedAt: r.submitted_at,
  };
}
