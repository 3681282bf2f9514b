import { handlers } from '@/app/api/webhooks/messaging-handlers';

export const dynamic = 'force-dynamic';

/** POST `{ from, body }`: plays an inbound text in the sandbox, as if the contact had sent it. */
export const POST = handlers.sandboxInbound;
