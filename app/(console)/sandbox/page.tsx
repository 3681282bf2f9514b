import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { AutoRefresh } from '@/components/sandbox/auto-refresh';
import { Conversation } from '@/components/sandbox/conversation';
import { PhoneReply } from '@/components/sandbox/phone-reply';
import { SandboxClockControl } from '@/components/sandbox/sandbox-clock-control';
import styles from '@/components/sandbox/sandbox-phone.module.css';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { sandboxClockState, sandboxPhone, SANDBOX_PHONE_BOUNDS } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sandbox phone · Optline' };

/**
 * The sandbox phone: each number's texts as the contact's phone shows them,
 * with their delivery statuses and tappable links (pay pages), and a reply
 * box that texts the business through the inbound webhook's path. Only while
 * the sandbox carries the texts (no Twilio configured).
 */
export default async function SandboxPhonePage() {
  const actor = await requirePageActor();
  const phone = await sandboxPhone(actor);
  const canText = can(actor, 'runs.write');
  const clock = sandboxClockState(actor);
  return (
    <main className="page">
      <PageHeader
        title="Sandbox phone"
        lede={
          <>
            Texts in the sandbox never leave this machine: here is each number&apos;s conversation as their phone would show it. Reply as
            the contact to try a flow end to end.
          </>
        }
      />
      {!phone.enabled ? (
        <p className="notice">
          Texts go through Twilio here, so there is no sandbox phone: it is there only while Optline runs without Twilio credentials.
        </p>
      ) : (
        <>
          <AutoRefresh seconds={3} />
          {clock.enabled && <SandboxClockControl now={clock.now} isSet={clock.isSet} canSet={can(actor, 'settings.edit')} />}
          {canText && <PhoneReply label="Text the business from a number" />}
          {phone.conversations.length === 0 ? (
            <p className="muted">
              No texts yet. Text a flow&apos;s keyword from a contact&apos;s number above, or start a run for a contact.
            </p>
          ) : (
            <div className={styles.phones}>
              {phone.conversations.map((c) => (
                <Conversation key={c.contactId} conversation={c} canReply={canText} />
              ))}
            </div>
          )}
          <p className="muted">
            The {SANDBOX_PHONE_BOUNDS.numbers} numbers texted most recently, with their last {SANDBOX_PHONE_BOUNDS.perNumber} texts each.
          </p>
        </>
      )}
    </main>
  );
}
