import type { CardChecks } from './payments';

/**
 * Why a payment fails Optline's card checks, or undefined when it passes: a
 * postal code or CVC check that came back `fail` fails the payment (issue 5,
 * "Payments"); `unavailable` and `unchecked` pass and are recorded on the run.
 */
export function cardCheckFailure(checks: CardChecks): string | undefined {
  const failed = [...(checks.postalCode === 'fail' ? ['postal code'] : []), ...(checks.cvc === 'fail' ? ['CVC'] : [])];
  if (failed.length === 0) return undefined;
  return `${failed.join(' and ')} check${failed.length > 1 ? 's' : ''} failed`;
}
