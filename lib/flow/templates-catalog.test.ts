import { describe, expect, it } from 'vitest';
import { loadTemplates } from './templates-catalog';

describe('the template list on the home page', () => {
  it('shows every built-in template as compliant, with its name and size', () => {
    expect(loadTemplates().map((t) => [t.id, t.name, t.nodeCount, t.errors.length])).toEqual([
      ['optin-notice', 'Pay-by-text opt-in notice', 4, 0],
      ['appointment-reminder', 'Appointment reminder', 9, 0],
      ['pay-by-text', 'Pay by text', 13, 0],
    ]);
  });
});
