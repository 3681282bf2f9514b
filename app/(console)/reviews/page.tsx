import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { ReviewQueue } from '@/components/review/review-queue';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { reviewQueuePage } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Review queue · Optline' };

/** The review queue: versions awaiting the reviewer's decision, and those they wrote (another reviewer decides). */
export default async function ReviewsPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'reviews.decide')) {
    return (
      <main className="page">
        <h1>Review queue</h1>
        <p>The review queue is for reviewers. Your flows’ review status is on the Flows page.</p>
      </main>
    );
  }
  const { awaiting, authored, people } = await reviewQueuePage(actor);
  return (
    <main className="page">
      <PageHeader
        title="Review queue"
        lede={<>Versions submitted for review, oldest first. Approve one only when every path is compliant; acknowledge each warning.</>}
      />
      <ReviewQueue awaiting={awaiting} authored={authored} people={people} />
    </main>
  );
}
