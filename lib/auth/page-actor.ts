import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { authServices } from './request-actor';
import type { Actor } from '@/lib/access/roles';
import { accounts } from './accounts';
import { REQUESTED_PATH_HEADER, signInPath } from './return-path';

/** Who is looking at a server-rendered page (from the request's cookies); read once per request however many layouts and pages ask. */
export const pageActor = cache(async (): Promise<Actor | null> => {
  const h = await headers();
  const { authenticate } = await authServices();
  return authenticate(new Request('http://optline.local/', { headers: new Headers(h) }));
});

/** Whether no account exists yet (first start). */
export async function needsOwner(): Promise<boolean> {
  return accounts(await authServices()).needsOwner();
}

/**
 * The signed-in actor of a console page, before it reads anything. Nobody
 * goes to set-up on first start, else to sign-in with the way back; a role
 * still to enrol its second factor goes to enrolment. Every console page
 * calls this itself: Next.js renders a page without its layout on a
 * client-side navigation, so the layout's own redirect is no lock.
 */
export async function requirePageActor(): Promise<Actor> {
  const actor = await pageActor();
  if (!actor) redirect((await needsOwner()) ? '/setup' : signInPath((await headers()).get(REQUESTED_PATH_HEADER)));
  if (actor.mustEnrolTwoFactor) redirect('/two-factor');
  return actor;
}
