import Link from 'next/link';
import type { ReactNode } from 'react';

/** The operator's console: the navigation around the builder and the lists (the contact-facing payment pages have none). */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
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
        <Link href="/">Templates</Link>
      </nav>
      <div id="content">{children}</div>
    </>
  );
}
