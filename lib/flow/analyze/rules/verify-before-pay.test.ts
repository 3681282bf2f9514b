import { describe, expect, it } from 'vitest';
import { errorsOf, flowOf, n } from '@/lib/flow/analyze/test-flows';

const gate = ['start.next > check', 'check.missing > stop'];

describe('verify-before-pay', () => {
  it('allows a payment request after "Verify identity" → verified', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.verify('verify'), n.pay('pay'), n.end('stop')],
      [
        ...gate,
        'check.granted > verify',
        'verify.verified > pay',
        'verify.failed > stop',
        'pay.paid > stop',
        'pay.failed > stop',
        'pay.expired > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('blocks a payment request reached without any identity check', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.pay('pay'), n.end('stop')],
      [...gate, 'check.granted > pay', 'pay.paid > stop', 'pay.failed > stop', 'pay.expired > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'verify-before-pay', edgeId: 'check.granted' }]);
  });

  it('blocks a payment request reached from the failed output of the identity check', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.verify('verify'), n.pay('pay'), n.end('stop')],
      [
        ...gate,
        'check.granted > verify',
        'verify.verified > pay',
        'verify.failed > pay',
        'pay.paid > stop',
        'pay.failed > stop',
        'pay.expired > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'verify-before-pay', edgeId: 'verify.failed' }]);
  });

  it('keeps the verification through waits and later texts, so a second link after expiry is fine', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.verify('verify'), n.pay('pay'), n.wait('later', 'P1D'), n.pay('again'), n.end('stop')],
      [
        ...gate,
        'check.granted > verify',
        'verify.verified > pay',
        'verify.failed > stop',
        'pay.paid > stop',
        'pay.failed > stop',
        'pay.expired > later',
        'later.next > again',
        'again.paid > stop',
        'again.failed > stop',
        'again.expired > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([]);
  });
});
