'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * An instant in the reader's own time zone and locale. The server does not
 * know the reader's zone, so it renders the instant in UTC and the browser
 * replaces it once hydrated (no hydration mismatch).
 */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    () => `${iso.slice(0, 16).replace('T', ' ')} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
