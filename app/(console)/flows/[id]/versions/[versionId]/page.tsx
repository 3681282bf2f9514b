import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ReviewPage } from '@/components/review/review-page';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { versionReview } from '@/lib/data';
import { isAppError } from '@/lib/app-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Review · Optline' };

export default async function VersionReviewPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  const actor = await requirePageActor();
  const { id, versionId } = await params;
  const { detail, people } = await versionReview(actor, versionId).catch((err: unknown) => {
    if (isAppError(err) && (err.code === 'not_found' || err.code === 'validation_failed')) notFound();
    throw err;
  });
  if (detail.flow.id !== id) notFound();
  return (
    <main className="page">
      <ReviewPage detail={detail} people={people} canActivate={can(actor, 'flows.activate')} />
    </main>
  );
}
