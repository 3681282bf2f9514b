import { can, type Actor } from '@/lib/access/roles';

// A payment link's path: /pay/ and its 43-character base64url token (payment-token.ts); /pay/receipt/<uuid> is not one.
const PAY_LINK_TOKEN = /\/pay\/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * The sandbox's texts as `actor` may read them. A payment link's token pays
 * the bill, so only a role that may act for a contact in the sandbox
 * (runs.write) sees it; for the others the link reads `/pay/…`, as the
 * stored copy of a text does.
 */
export function sandboxMessagesFor<T extends { body: string }>(actor: Actor, messages: readonly T[]): T[] {
  if (can(actor, 'runs.write')) return [...messages];
  return messages.map((m) => ({ ...m, body: maskPayLinks(m.body) }));
}

/** A text with every payment link's token replaced by "…". */
export function maskPayLinks(body: string): string {
  return body.replace(PAY_LINK_TOKEN, '/pay/…');
}
