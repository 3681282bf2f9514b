'use client';

import { useSyncExternalStore } from 'react';
import { formatForContact, formatInstant } from '@/lib/compliance/time-display';

const subscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The viewer's IANA zone, or null while rendering on the server and hydrating:
 * the server does not know the reader's zone, so it renders in UTC and the
 * browser re-renders once hydrated (no hydration mismatch).
 */
export function useViewerZone(): string | null {
  return useSyncExternalStore(subscribe, browserZone, () => null);
}

/** An instant in the reader's own time zone, with its abbreviation ("Dec 7, 2026, 14:05 CST"). */
export function LocalTime({ iso }: { iso: string }) {
  const zone = useViewerZone();
  return <time dateTime={iso}>{formatInstant(new Date(iso), zone ?? 'UTC')}</time>;
}

/**
 * An instant that concerns a contact: the contact's local time, then the
 * reader's ("Dec 8, 2026, 08:00 CST (09:00 your time)").
 */
export function ContactTime({ iso, contactZones }: { iso: string; contactZones: readonly string[] }) {
  const zone = useViewerZone();
  return <time dateTime={iso}>{formatForContact(new Date(iso), contactZones, zone)}</time>;
}
