import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { ReviewPage } from '../../../../../../components/review/review-page';
import { versionService } from '../../../../../api/versions/version-service';
import { pageActor } from '../../../../../../lib/auth/page-actor';
import { authServices } from '../../../../../../lib/auth/request-actor';
import { can } from '../../../../../../lib/auth/roles';
import { userRepository } from '../../../../../../lib/db/user-repository';
import { isAppError } from '../../../../../../lib/http/app-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Review · Optline' };

export default async function VersionReviewPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  const actor = await pageActor();
  if (!actor) redirect('/sign-in');
  const { id, versionId } = await params;
  const { pool } = await authServices();
  const detail = await versionService(pool)
    .detail(versionId, actor)
    .catch((err: unknown) => {
      if (isAppError(err) && (err.code === 'not_found' || err.code === 'validation_failed')) notFound();
      throw err;
    });
  if (detail.flow.id !== id) notFound();
  const people = Object.fromEntries((await userRepository(pool).list()).map((u) => [u.id, u.name]));
  return (
    <main className="page">
      <ReviewPage detail={detail} people={people} canActivate={can(actor, 'flows.activate')} />
    </main>
  );
}
