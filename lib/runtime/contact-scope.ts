import type { ContactLocation } from '@/lib/compliance/types';
import type { Contact } from '@/lib/db/contact-repository';
import type { StoredSnapshot } from './step';

/** Where a contact is, as the send-time guard and time windows read it. */
export function locationOf(contact: Contact): ContactLocation {
  return { phone: contact.phone ?? undefined, zone: contact.zone, zip: contact.zip, state: contact.state };
}

/** The contact's fields a template reads (`{{contact.first_name}}`). */
export function contactScope(contact: Contact): Record<string, string> {
  const first = contact.name?.split(' ')[0];
  return first ? { first_name: first, name: contact.name! } : {};
}

/** A template's scope at send time: the contact as their record reads now (a stored snapshot holds no contact fields). */
export function scopeOf(snapshot: StoredSnapshot, contact: Contact): Record<string, unknown> {
  const ctx = snapshot.context;
  // Money reads as money in a text: 42.5 → "42.50" (as the simulator shows it).
  const payment = ctx.payment && {
    ...ctx.payment,
    ...(typeof ctx.payment.amount === 'number' ? { amount: ctx.payment.amount.toFixed(2) } : {}),
  };
  return { vars: ctx.vars, contact: contactScope(contact), reply: ctx.reply, payment };
}
