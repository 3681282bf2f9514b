import { describe, expect, it } from 'vitest';
import { checkTemplate, templateChecker, templateUses } from './templates';

describe('templates', () => {
  it('reads plain text as a template with no variables', () => {
    expect(checkTemplate('Acme Dental: your visit is tomorrow. Reply STOP to opt out.')).toEqual({ ok: true, variables: [] });
    expect(checkTemplate('braces alone } %} }} are text')).toEqual({ ok: true, variables: [] });
  });

  it('lists the variables a template reads and names what does not parse', () => {
    expect(checkTemplate('Hi {{ contact.first_name }}, pay at {{payment.link}}')).toEqual({
      ok: true,
      variables: [
        ['contact', 'first_name'],
        ['payment', 'link'],
      ],
    });
    expect(checkTemplate('Hi {{ contact.first_name')).toEqual({ ok: false, message: 'output "{{ contact.first_name" not closed' });
    expect(checkTemplate('{{ contact.first_name | shout }}')).toMatchObject({ ok: false });
  });

  it('answers a repeated text as checkTemplate does', () => {
    const check = templateChecker();
    for (const text of ['Pay at {{payment.link}}', 'Pay at {{payment.link}}', 'oops {{', 'oops {{', 'plain']) {
      expect(check(text)).toEqual(checkTemplate(text));
    }
    expect(templateUses('Pay at {{ payment.link }}', 'payment.link', check)).toBe(true);
    expect(templateUses('Pay at {{ payment.amount }}', 'payment.link', check)).toBe(false);
  });
});
