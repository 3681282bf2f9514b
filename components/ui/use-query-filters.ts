import { usePathname, useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

/** Filters: each a string, '' when not set. */
type Filters<F> = { [K in keyof F]: string };

/** `?a=1&b=2` of the filters that have a value, or '' when none has. */
export function filterQuery<F extends Filters<F>>(filters: F, extra: Readonly<Record<string, string>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries<string>({ ...filters, ...extra })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A filter form whose applied values are kept in the page's query string: the
 * form edits `filters`; submitting (or `apply`) makes them `applied` and puts
 * them in the address, so a reload or a shared link shows the same list.
 */
export function useQueryFilters<F extends Filters<F>>(initial: F) {
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const apply = (next: F) => {
    setFilters(next);
    setApplied(next);
    router.replace(`${pathname}${filterQuery(next)}`, { scroll: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(filters);
  };
  return { filters, setFilters, applied, apply, submit };
}
