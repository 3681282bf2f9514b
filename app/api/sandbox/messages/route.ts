import { handlers } from '@/app/api/webhooks/messaging-handlers';

export const dynamic = 'force-dynamic';

/** GET `?limit=`: the sandbox's texts in and out, newest first. */
export const GET = handlers.sandboxMessages;
