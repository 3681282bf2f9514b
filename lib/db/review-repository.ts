import type { Queryable } from './queryable';

/** A reviewer's decision on a flow version (table `reviews`, append-only). */
export interface Review {
  id: string;
  flowVersionId: string;
  /** The content hash the reviewer saw (always the version's own). */
  contentHash: string;
  /** The reviewer's user id. */
  reviewer: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  /** ANALYZER_VERSION when the decision was made (always set on an approval). */
  analyzerVersion: string | null;
  /** SHA-256 of the canonical analyzer report the reviewer saw (always set on an approval). */
  reportHash: string | null;
  /** Keys of the warnings the reviewer acknowledged. */
  acknowledgedWarnings: string[];
  createdAt: Date;
  /** Whether the reviewer is one of the version's authors (only ever true of reviews recorded before authors were tracked). */
  byAuthor: boolean;
}

export type NewReview = Omit<Review, 'id' | 'createdAt' | 'byAuthor'>;

interface ReviewRow {
  id: string;
  flow_version_id: string;
  content_hash: string;
  reviewer: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  analyzer_version: string | null;
  report_hash: string | null;
  acknowledged_warnings: string[];
  created_at: Date;
  by_author: boolean;
}

const COLUMNS =
  'id, flow_version_id, content_hash, reviewer, decision, comment, analyzer_version, report_hash, acknowledged_warnings, created_at';
const BY_AUTHOR = `exists (select 1 from flow_version_authors a where a.flow_version_id = reviews.flow_version_id and a.author = reviews.reviewer)
  or exists (select 1 from flow_versions v where v.id = reviews.flow_version_id and v.created_by = reviews.reviewer) as by_author`;

/** Reviews over a pool or a transaction's client. */
export function reviewRepository(db: Queryable) {
  return {
    /** Records a decision (the database refuses an approval without its binding, and a review by any of the version's authors). */
    async addReview(review: NewReview): Promise<Review> {
      const { rows } = await db.query<ReviewRow>(
        `insert into reviews (flow_version_id, content_hash, reviewer, decision, comment, analyzer_version, report_hash, acknowledged_warnings)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}, false as by_author`, // an author's review is refused by the database
        [
          review.flowVersionId,
          review.contentHash,
          review.reviewer,
          review.decision,
          review.comment,
          review.analyzerVersion,
          review.reportHash,
          review.acknowledgedWarnings,
        ],
      );
      return toReview(rows[0]!);
    },

    /** A version's reviews, oldest first. */
    async listReviews(flowVersionId: string): Promise<Review[]> {
      const { rows } = await db.query<ReviewRow>(
        `select ${COLUMNS}, ${BY_AUTHOR} from reviews where flow_version_id = $1 order by created_at, id`,
        [flowVersionId],
      );
      return rows.map(toReview);
    },

    /** The approval a version's binding is checked against: its latest. */
    async latestApproval(flowVersionId: string): Promise<Review | undefined> {
      const { rows } = await db.query<ReviewRow>(
        `select ${COLUMNS}, ${BY_AUTHOR} from reviews where flow_version_id = $1 and decision = 'approved' order by created_at desc, id desc limit 1`,
        [flowVersionId],
      );
      return rows[0] && toReview(rows[0]);
    },
  };
}

export type ReviewRepository = ReturnType<typeof reviewRepository>;

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    flowVersionId: row.flow_version_id,
    contentHash: row.content_hash,
    reviewer: row.reviewer,
    decision: row.decision,
    comment: row.comment,
    analyzerVersion: row.analyzer_version,
    reportHash: row.report_hash,
    acknowledgedWarnings: row.acknowledged_warnings,
    createdAt: row.created_at,
    byAuthor: row.by_author,
  };
}
