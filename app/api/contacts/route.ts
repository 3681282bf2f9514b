import { authenticate } from '@/lib/auth/request-actor';
import { handlers } from '@/app/api/runtime-handlers';
import { contactHandlers } from './contact-handlers';

export const dynamic = 'force-dynamic';

const contacts = contactHandlers({ authenticate });

/** POST: a contact `{ phone, name?, zip?, zone?, state?, dateOfBirth?, attributes?, consent? }`. */
export const POST = handlers.createContact;
/** GET `?q=&cursor=`: a page of contacts with consent per purpose; `?phone=`: the contact with that number and their consent. */
export const GET = contacts.list;
