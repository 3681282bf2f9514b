import type { ReactNode } from 'react';
import Link from 'next/link';
import '@xyflow/react/dist/style.css';
import './globals.css';

export const metadata = {
  title: 'Optline',
  description: 'Compliant SMS messaging flows',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
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
      </body>
    </html>
  );
}
