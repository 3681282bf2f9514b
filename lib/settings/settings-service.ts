import type pg from 'pg';
import { z } from 'zod';
import { actorRef, can, type Actor } from '@/lib/access/roles';
import { isUsState } from '@/lib/compliance/states';
import { recordAudit } from '@/lib/db/audit-repository';
import { withTransaction } from '@/lib/db/queryable';
import { settingsRepository, type Settings } from '@/lib/db/settings-repository';
import { AppError } from '@/lib/app-error';

const text = (what: string, max: number) =>
  z
    .string({ error: `write the ${what}` })
    .trim()
    .min(1, { error: `write the ${what}` })
    .max(max, { error: `the ${what} is longer than ${max} characters` });

/** The business's name as its texts sign them (HELP, STOP and START answers name it). */
export const brandField = text('business name', 80);

/** The body of PATCH /api/settings: any of the settings, at least one. */
export const settingsBody = z
  .strictObject({
    brand: brandField.optional(),
    // CTIA Messaging Principles: HELP answers with the brand, support and how to opt out.
    helpText: text('help text', 320)
      .refine((t) => /\bSTOP\b/.test(t), { error: 'the help text must say how to opt out (e.g. "Reply STOP to opt out")' })
      .optional(),
    // 47 CFR 64.1200(a)(12): the opt-out confirmation carries no marketing; keep it short and plain.
    stopConfirmationText: text('STOP confirmation', 160)
      .refine((t) => !/https?:\/\/|www\./i.test(t), {
        error: 'the STOP confirmation may not contain a link: it confirms the opt-out and nothing else',
      })
      .optional(),
    startConfirmationText: text('START confirmation', 320)
      .refine((t) => /\bSTOP\b/.test(t), { error: 'the START confirmation must say how to opt out again (e.g. "Reply STOP to opt out")' })
      .optional(),
    pausedMarketingStates: z
      .array(
        z
          .string()
          .trim()
          .toUpperCase()
          .refine(isUsState, { error: (iss) => `${JSON.stringify(iss.input)} is not a US state code like LA` }),
        { error: 'a list of state codes like ["LA"]' },
      )
      .max(60)
      .transform((s) => [...new Set(s)].sort())
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'send at least one setting to change' });

export type SettingsChange = z.infer<typeof settingsBody>;

/**
 * Changes the settings and audits what actually changed, in one transaction;
 * pausing or resuming marketing to a state is the owner's alone (a forbidden
 * AppError for anyone else).
 */
export async function updateSettings(pool: pg.Pool, actor: Actor, change: SettingsChange): Promise<Settings> {
  return withTransaction(pool, async (tx) => {
    const repo = settingsRepository(tx);
    const current = await repo.get();
    const pausing =
      change.pausedMarketingStates !== undefined && change.pausedMarketingStates.join(',') !== current.pausedMarketingStates.join(',');
    if (pausing && !can(actor, 'settings.pause_states')) {
      throw new AppError('forbidden', 'only the owner can pause or resume marketing to a state', { path: 'pausedMarketingStates' });
    }
    const { before, after } = await repo.update(change);
    const changed = (Object.keys(change) as (keyof typeof change)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length > 0) {
      await recordAudit(tx, {
        actor: actorRef(actor),
        action: pausing ? 'settings.states_paused' : 'settings.changed',
        subjectType: 'settings',
        subjectId: null,
        details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
      });
    }
    return after;
  });
}

/** The business name the owner gave at first start: the brand every keyword answer names, audited as the owner's. */
export async function setBrandAtSetup(pool: pg.Pool, ownerId: string, brand: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { before, after } = await settingsRepository(tx).update({ brand });
    await recordAudit(tx, {
      actor: ownerId,
      action: 'settings.changed',
      subjectType: 'settings',
      subjectId: null,
      details: { brand: { from: before.brand, to: after.brand } },
    });
  });
}
