import { headers } from 'next/headers';
import { authServices } from './request-actor';
import type { Actor } from './roles';
import { accounts } from './accounts';

/** Who is looking at a server-rendered page (from the request's cookies). */
export async function pageActor(): Promise<Actor | null> {
  const h = await headers();
  const { authenticate } = await authServices();
  return authenticate(new Request('http://optline.local/', { headers: new Headers(h) }));
}

/** Whether no account exists yet (first start). */
export async function needsOwner(): Promise<boolean> {
  return accounts(await authServices()).needsOwner();
}
