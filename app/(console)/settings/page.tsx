import type { Metadata } from 'next';
import { SettingsForm } from '@/components/admin/settings-form';
import { UsersPanel } from '@/components/admin/users-panel';
import { WebhooksPanel } from '@/components/admin/webhooks-panel';
import styles from '@/components/admin/admin.module.css';
import { publicUser } from '@/lib/auth/accounts';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { keywordSettings, userList, webhookEndpointList } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Settings · Optline' };

export default async function SettingsPage() {
  const actor = await requirePageActor();
  const settings = await keywordSettings(actor);
  const users = can(actor, 'users.manage') ? await userList(actor) : null;
  const webhooks = can(actor, 'webhooks.manage') ? await webhookEndpointList(actor) : null;
  return (
    <main className="page">
      <PageHeader title="Settings" lede="What every contact sees from the runtime's keyword replies, and who can sign in." />
      <section className={styles.section} aria-labelledby="texts-heading">
        <h2 id="texts-heading">Brand and keyword replies</h2>
        <SettingsForm
          initial={{
            brand: settings.brand,
            helpText: settings.helpText,
            stopConfirmationText: settings.stopConfirmationText,
            startConfirmationText: settings.startConfirmationText,
            pausedMarketingStates: settings.pausedMarketingStates,
          }}
          canEdit={can(actor, 'settings.edit')}
          canPauseStates={can(actor, 'settings.pause_states')}
        />
      </section>
      {users && (
        <section className={styles.section} aria-labelledby="people-heading">
          <h2 id="people-heading">People</h2>
          <UsersPanel initial={users.map(publicUser)} me={actor.userId} myRole={actor.role} />
        </section>
      )}
      {webhooks && (
        <section className={styles.section} aria-labelledby="webhooks-heading" id="webhooks">
          <h2 id="webhooks-heading">Outbound webhooks</h2>
          <WebhooksPanel
            initial={webhooks.map((e) => ({
              id: e.id,
              url: e.url,
              description: e.description,
              eventTypes: e.eventTypes,
              includePhone: e.includePhone,
              enabled: e.enabled,
              disabledAt: e.disabledAt?.toISOString() ?? null,
              disabledReason: e.disabledReason,
              createdAt: e.createdAt.toISOString(),
              deliveries: e.deliveries,
            }))}
          />
        </section>
      )}
    </main>
  );
}
