import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/auth/roles';
import { isSandboxMessaging } from '@/lib/data';

export const dynamic = 'force-dynamic';

// Console pages are rendered per request (who is signed in, live data): prefetching every
// link on each page would render them all on the server while the browser is busy with the page.

/**
 * The operator's console: only for someone signed in (first start goes to
 * set-up; a role that needs two-factor goes to its enrolment first). The
 * links follow the role. This redirect is for the visitor's sake, not the
 * lock: each page checks again where it reads its data (lib/data), and the
 * API checks every permission on the server.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Signed out: to sign-in, and back to the page asked for afterwards.
  const actor = await requirePageActor();
  const sandbox = await isSandboxMessaging();
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <nav className="app-nav" aria-label="Main">
        <Link href="/" className="app-brand" prefetch={false}>
          Optline
        </Link>
        <Link href="/flows" prefetch={false}>
          Flows
        </Link>
        <Link href="/contacts" prefetch={false}>
          Contacts
        </Link>
        <Link href="/runs" prefetch={false}>
          Runs
        </Link>
        <Link href="/dashboard" prefetch={false}>
          Dashboard
        </Link>
        <Link href="/consent" prefetch={false}>
          Consent
        </Link>
        {sandbox && (
          <Link href="/sandbox" prefetch={false}>
            Sandbox phone
          </Link>
        )}
        {can(actor, 'audit.export') && (
          <Link href="/audit" prefetch={false}>
            Audit log
          </Link>
        )}
        <Link href="/settings" prefetch={false}>
          Settings
        </Link>
        <span className="app-nav-user">
          <Link href="/account" prefetch={false} aria-label={`Account: ${actor.name} (${actor.role})`}>
            {actor.name} · {actor.role}
          </Link>
          <SignOutButton />
        </span>
      </nav>
      <div id="content">{children}</div>
    </>
  );
}
