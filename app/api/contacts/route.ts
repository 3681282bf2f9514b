import { handlers } from '../runtime-handlers';

export const dynamic = 'force-dynamic';

/** POST: a contact `{ phone, name?, zip?, zone?, state?, dateOfBirth?, attributes?, consent? }`. */
export const POST = handlers.createContact;
/** GET `?phone=`: the contact with that number and their consent. */
export const GET = handlers.findContact;
