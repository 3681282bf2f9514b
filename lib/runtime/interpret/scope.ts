import type { StoredContext } from './step';

/**
 * A template's scope: the run's variables, the last reply and payment, and
 * the contact's fields as their record reads now. Money reads as money in a
 * text: 42.5 → "42.50".
 */
export function templateScope(context: StoredContext, contact: Record<string, string>): Record<string, unknown> {
  const payment = context.payment && {
    ...context.payment,
    ...(typeof context.payment.amount === 'number' ? { amount: context.payment.amount.toFixed(2) } : {}),
  };
  return { vars: context.vars, contact, reply: context.reply, payment };
}
