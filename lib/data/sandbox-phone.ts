// Server only: the sandbox phone's data for its page.
import { requirePermission, type Actor } from '@/lib/access/roles';
import { sandboxTextRepository, type SandboxConversation } from '@/lib/db/sandbox-text-repository';
import { sandboxMessagesFor } from '@/lib/providers/sandbox/sandbox-message-view';
import { services } from '@/lib/runtime/services';
import { processData, type DataSource } from './source';

/** One number's conversation as the sandbox phone shows it. */
export type { SandboxConversation };

/** How many numbers the sandbox phone shows, and how many texts of each: the most recent. */
export const SANDBOX_PHONE_BOUNDS = { numbers: 50, perNumber: 100 } as const;

/** Whether the process's messaging is the sandbox (no Twilio configured): the sandbox phone exists only then. */
export async function isSandboxMessaging(): Promise<boolean> {
  return (await services()).providers.sandbox.messaging !== undefined;
}

/**
 * Each number's conversation as its phone shows it, for an actor who may read
 * (checked before any query): pay links whole only for a role that may act
 * for a contact in the sandbox (runs.write), masked for the others.
 */
export async function sandboxPhone(
  actor: Actor | null,
  source: DataSource = processData,
  sandboxOn: () => Promise<boolean> = isSandboxMessaging,
): Promise<{ enabled: false } | { enabled: true; conversations: SandboxConversation[] }> {
  const reader = requirePermission(actor, 'read');
  if (!(await sandboxOn())) return { enabled: false };
  const conversations = await sandboxTextRepository(await source.pool()).conversations(SANDBOX_PHONE_BOUNDS);
  return { enabled: true, conversations: conversations.map((c) => ({ ...c, texts: sandboxMessagesFor(reader, c.texts) })) };
}
