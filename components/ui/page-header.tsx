import type { ReactNode } from 'react';

/** A console page's heading and the sentence under it saying what the page is for (then, say, the page's main action). */
export function PageHeader({ title, lede, children }: { title: ReactNode; lede: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <p className="lede">{lede}</p>
      {children}
    </header>
  );
}
