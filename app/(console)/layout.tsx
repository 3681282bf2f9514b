import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can, type Permission } from '@/lib/access/roles';
import { disabledWebhookEndpoints, isSandboxMessaging, reviewQueueSize } from '@/lib/data';

export const dynamic = 'force-dynamic';

// Console pages are rendered per request (who is signed in, live data): prefetching every
// link on each page would render them all on the server while the browser is busy with the page.

/** The console's sections in the main navigation, with the permission one needs to see the link (when one does). */
/** The console's sections, in the menu's order: some need a permission, the sandbox phone the sandbox. */
// `document`: a link that loads a new document instead of a client-side navigation, for the API reference,
// the one page with a Content-Security-Policy of its own (lib/http/security-headers.ts, INLINE_STYLE_PATHS).
const SECTIONS: readonly { href: string; label: string; permission?: Permission; sandboxOnly?: boolean; document?: boolean }[] = [
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
  { href: '/developers/api', label: 'API', document: true },
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
  // Outbound webhook endpoints switched off after repeated failure: told here, never by email.
  const switchedOff = can(actor, 'webhooks.manage') ? await disabledWebhookEndpoints(actor) : [];
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
            section.document ? (
              <a key={section.href} href={section.href}>
                {section.label}
              </a>
            ) : (
              <Link key={section.href} href={section.href} prefetch={false}>
                {section.label}
              </Link>
            ),
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
      {switchedOff.length > 0 && (
        <div role="status" className="notice console-notice" data-testid="webhook-disabled-notice">
          <p>
            <strong>
              {switchedOff.length === 1 ? 'An outbound webhook endpoint was' : `${switchedOff.length} outbound webhook endpoints were`}{' '}
              switched off
            </strong>{' '}
            after failing for 3 days: {switchedOff.map((e) => e.url).join(', ')}. Its events wait; fix the receiver and switch it on again
            under{' '}
            <Link href="/settings#webhooks" prefetch={false}>
              Settings → Outbound webhooks
            </Link>
            .
          </p>
        </div>
      )}
      <div id="content">{children}</div>
    </>
  );
}
