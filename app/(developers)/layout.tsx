import type { ReactNode } from 'react';
import { requirePageActor } from '@/lib/auth/page-actor';

export const dynamic = 'force-dynamic';

/**
 * The developers' pages: the API reference, whose Content-Security-Policy
 * lets `<style>` elements go without the nonce (lib/http/security-headers.ts,
 * INLINE_STYLE_PATHS). A policy belongs to the document, so every way in and
 * out loads a new one: the console links here with a plain `<a>`, and these
 * links are plain `<a>` too, never a client-side navigation that would carry
 * this page's policy to a console page (or the console's to this one).
 */
export default async function DevelopersLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <nav className="app-nav" aria-label="Main">
        <a href="/" className="app-brand">
          Optline
        </a>
        <a href="/flows">Back to the console</a>
        <span className="app-nav-user">
          <a href="/account" aria-label={`Account: ${actor.name} (${actor.role})`}>
            {actor.name} · {actor.role}
          </a>
        </span>
      </nav>
      <div id="content">{children}</div>
    </>
  );
}
