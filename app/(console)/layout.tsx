import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can, type Permission } from '@/lib/access/roles';
import { isSandboxMessaging, reviewQueueSize } from '@/lib/data';

export const dynamic = 'force-dynamic';

// Console pages are rendered per request (who is signed in, live data): prefetching every
// link on each page would render them all on the server while the browser is busy with the page.

/** The console's sections in the main navigation, with the permission one needs to see the link (when one does). */
/** The console's sections, in the menu's order: some need a permission, the sandbox phone the sandbox. */
const SECTIONS: readonly { href: string; label: string; permission?: Permission; sandboxOnly?: boolean }[] = [
  { href: '/flows', label: 'Flows' },
  { href: '/contacts', label: 'Contacts' },
  { href: '/segments', label: 'Segments' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/runs', label: 'Runs' },
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/consent', label: 'Consent' },
  { href: '/sandbox', label: 'Sandbox phone', sandboxOnly: true },
  { href: '/audit', label: 'Audit log', permission: 'audit.export' },
  { href: '/settings', label: 'Settings' },
];

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
  // The count is a convenience for reviewers; the queue page checks again where it reads.
  const awaiting = can(actor, 'reviews.decide') ? await reviewQueueSize(actor) : null;
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
        {SECTIONS.filter((section) => (!section.permission || can(actor, section.permission)) && (!section.sandboxOnly || sandbox)).map(
          (section) => [
            <Link key={section.href} href={section.href} prefetch={false}>
              {section.label}
            </Link>,
            section.href === '/flows' && awaiting !== null && (
              <Link
                key="/reviews"
                href="/reviews"
                prefetch={false}
                aria-label={`Review queue: ${awaiting} awaiting your decision`}
                data-testid="nav-reviews"
              >
                Reviews{' '}
                <span className="nav-count" data-testid="nav-review-count">
                  {awaiting}
                </span>
              </Link>
            ),
          ],
        )}
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
