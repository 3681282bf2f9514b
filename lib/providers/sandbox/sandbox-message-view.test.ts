import { describe, expect, it } from 'vitest';
import { actorFor } from '@/lib/auth/testing/actors';
import { newPaymentToken } from '@/lib/providers/payment-token';
import { maskPayLinks, sandboxMessagesFor } from './sandbox-message-view';

describe('sandboxMessagesFor', () => {
  const token = newPaymentToken();
  const texts = [{ id: '1', body: `Pay here: https://optline.example.com/pay/${token}. Receipt later.` }];

  it('shows the pay link to a role that may act for a contact (runs.write) and masks it for a reviewer', () => {
    expect(sandboxMessagesFor(actorFor('developer'), texts)).toEqual(texts);
    expect(sandboxMessagesFor(actorFor('reviewer'), texts)).toEqual([
      { id: '1', body: 'Pay here: https://optline.example.com/pay/…. Receipt later.' },
    ]);
  });

  it('masks every pay link in a text and leaves receipt links and other paths alone', () => {
    const other = newPaymentToken();
    expect(maskPayLinks(`/pay/${token} and /pay/${other}; /pay/receipt/0b6c1a52-6f55-4f0e-9a51-0f3f2a1f6c11; /pay/short`)).toBe(
      '/pay/… and /pay/…; /pay/receipt/0b6c1a52-6f55-4f0e-9a51-0f3f2a1f6c11; /pay/short',
    );
  });
});
