import type { ContactLocation } from '@/lib/compliance/types';
import type { Contact } from '@/lib/db/contact-repository';
import { templateScope } from './interpret/scope';
import type { StoredSnapshot } from './interpret/step';

/** Where a contact is, as the send-time guard and time windows read it. */
export function locationOf(contact: Contact): ContactLocation {
  return { phone: contact.phone ?? undefined, zone: contact.zone, zip: contact.zip, state: contact.state };
}

/** The contact's fields a template reads (`{{contact.first_name}}`). */
export function contactScope(contact: Contact): Record<string, string> {
  const first = contact.name?.split(' ')[0];
  return first ? { first_name: first, name: contact.name! } : {};
}

/** A template's scope at send time (`templateScope`): the contact as their record reads now (a stored snapshot holds no contact fields). */
export function scopeOf(snapshot: StoredSnapshot, contact: Contact): Record<string, unknown> {
  return templateScope(snapshot.context, contactScope(contact));
}
