import { authenticate } from '@/lib/auth/request-actor';
import { contactHandlers } from '@/app/api/contacts/contact-handlers';

export const dynamic = 'force-dynamic';

/** GET: the contact (ZIP and date of birth masked), their consent timeline and their runs. */
export const GET = contactHandlers({ authenticate }).get;
