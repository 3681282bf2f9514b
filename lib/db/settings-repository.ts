import type { Queryable } from './queryable';

/** The operator's settings (one row): brand, keyword replies, states where marketing is paused. */
export interface Settings {
  brand: string;
  helpText: string;
  stopConfirmationText: string;
  startConfirmationText: string;
  pausedMarketingStates: string[];
  updatedAt: Date;
}

interface Row {
  brand: string;
  help_text: string;
  stop_confirmation_text: string;
  start_confirmation_text: string;
  paused_marketing_states: string[];
  updated_at: Date;
}

const toSettings = (r: Row): Settings => ({
  brand: r.brand,
  helpText: r.help_text,
  stopConfirmationText: r.stop_confirmation_text,
  startConfirmationText: r.start_confirmation_text,
  pausedMarketingStates: r.paused_marketing_states,
  updatedAt: r.updated_at,
});

export function settingsRepository(db: Queryable) {
  return {
    async get(): Promise<Settings> {
      const { rows } = await db.query<Row>('select * from settings');
      return toSettings(rows[0]!);
    },

    /** Changes the given fields; locks the row so concurrent edits apply one after the other. */
    async update(change: Partial<Omit<Settings, 'updatedAt'>>): Promise<{ before: Settings; after: Settings }> {
      const before = toSettings((await db.query<Row>('select * from settings for update')).rows[0]!);
      const { rows } = await db.query<Row>(
        `update settings set brand = coalesce($1, brand), help_text = coalesce($2, help_text),
           stop_confirmation_text = coalesce($3, stop_confirmation_text), start_confirmation_text = coalesce($4, start_confirmation_text),
           paused_marketing_states = coalesce($5, paused_marketing_states)
         returning *`,
        [
          change.brand ?? null,
          change.helpText ?? null,
          change.stopConfirmationText ?? null,
          change.startConfirmationText ?? null,
          change.pausedMarketingStates ?? null,
        ],
      );
      return { before, after: toSettings(rows[0]!) };
    },
  };
}
