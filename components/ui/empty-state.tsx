import { useId, type ReactNode } from 'react';

/** What a page shows where its list would be when there is nothing in it: a heading, a sentence, and what to do next. */
export function EmptyState({ title, lede, children }: { title: ReactNode; lede: ReactNode; children?: ReactNode }) {
  const id = useId();
  return (
    <section className="empty-state" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="lede">{lede}</p>
      {children}
    </section>
  );
}
