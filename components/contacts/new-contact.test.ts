import { describe, expect, it } from 'vitest';
import { contactBody } from '@/lib/contacts/create-contact';
import { errorsByField, newContactBody, type NewContactForm } from './new-contact';

const FORM: NewContactForm = {
  phone: ' (312) 555-0142 ',
  name: '',
  zone: '',
  withConsent: true,
  purpose: 'marketing',
  source: 'web_form',
  channel: '',
  text: 'Yes, text me offers from Acme Dental. Msg & data rates may apply. Reply STOP to stop.',
  consentAt: '2026-03-10T15:00:00.000Z',
};

describe('the Add a contact form', () => {
  it('sends a body the API schema takes, with blank optional fields left out', () => {
    const body = newContactBody(FORM);
    expect(body).toEqual({
      phone: '(312) 555-0142',
      consent: { purpose: 'marketing', source: 'web_form', text: FORM.text, at: '2026-03-10T15:00:00.000Z' },
    });
    expect(contactBody.safeParse(body).success).toBe(true);
    expect(newContactBody({ ...FORM, name: ' Ana ', channel: 'paper', withConsent: false })).toEqual({
      phone: '(312) 555-0142',
      name: 'Ana',
    });
  });

  it("puts each of the API's problems under the field it names", () => {
    const parsed = contactBody.safeParse(newContactBody({ ...FORM, text: '', zone: 'Mars/Base' }));
    expect(parsed.success).toBe(false);
    const details = parsed.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(errorsByField({ message: 'x', details })).toEqual({
      zone: ['is not an IANA time zone like America/Chicago'],
      text: ['give the exact text the person agreed to'],
    });
    // A single error with a path (a number already a contact), its path taken off the message; one with no field goes to the form.
    expect(errorsByField({ message: 'phone: +13125550142 is already a contact (c1)', path: 'phone' })).toEqual({
      phone: ['+13125550142 is already a contact (c1)'],
    });
    expect(errorsByField({ message: 'you may not add contacts' })).toEqual({ form: ['you may not add contacts'] });
  });
});
