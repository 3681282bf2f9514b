import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { SignOutButton } from '../../components/auth/sign-out-button';
import { needsOwner, pageActor } from '../../lib/auth/page-actor';
import { can } from '../../lib/auth/roles';

export const dynamic = 'force-dynamic';

/**
 * The operator's console: only for someone signed in (first start goes to
 * set-up; a role that needs two-factor goes to its enrolment first). The
 * links follow the role; the API checks every permission again on the server.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await pageActor();
  if (!actor) redirect((await needsOwner()) ? '/setup' : '/sign-in');
  if (actor.mustEnrolTwoFactor) redirect('/two-factor');
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <nav className="app-nav" aria-label="Main">
        <Link href="/" className="app-brand">
          Optline
        </Link>
        <Link href="/flows">Flows</Link>
        <Link href="/contacts">Contacts</Link>
        <Link href="/runs">Runs</Link>
        <Link href="/dashboard">Dashboard</Link>
        <Link href="/consent">Consent</Link>
        {can(actor, 'audit.export') && <Link href="/audit">Audit log</Link>}
        <Link href="/settings">Settings</Link>
        <span className="app-nav-user">
          <Link href="/account" aria-label={`Account: ${actor.name} (${actor.role})`}>
            {actor.name} · {actor.role}
          </Link>
          <SignOutButton />
        </span>
      </nav>
      <div id="content">{children}</div>
    </>
  );
}
