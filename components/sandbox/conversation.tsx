import { LocalTime } from '@/components/ui/local-time';
import type { SandboxConversation } from '@/lib/data/sandbox-phone';
import { linkParts } from './link-parts';
import { PhoneReply } from './phone-reply';
import styles from './sandbox-phone.module.css';

const STATUS_WORDS: Record<string, string> = {
  received: 'sent',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'not delivered',
  failed: 'failed',
};

/** One number's texts as its phone shows them: the business's on the left with their delivery status, the contact's on the right; links tappable. */
export function Conversation({ conversation, canReply }: { conversation: SandboxConversation; canReply: boolean }) {
  const { phone, texts } = conversation;
  return (
    <section className={styles.phone} aria-label={`Phone ${phone}`}>
      <h2>{phone}</h2>
      <ol className={styles.thread} aria-label={`Texts with ${phone}`}>
        {texts.map((t) => (
          <li key={t.id} className={`${styles.bubble} ${t.direction === 'inbound' ? styles.fromContact : styles.fromBusiness}`}>
            {linkParts(t.body).map((p, i) =>
              p.kind === 'link' ? (
                <a key={i} href={p.href} target="_blank" rel="noreferrer">
                  {p.href}
                </a>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
            <span className={styles.meta}>
              <LocalTime iso={t.at.toISOString()} />
              {t.direction === 'outbound' && <span data-testid="delivery-status"> · {STATUS_WORDS[t.status] ?? t.status}</span>}
            </span>
          </li>
        ))}
      </ol>
      {canReply && <PhoneReply from={phone} label={`Reply from ${phone}`} />}
    </section>
  );
}
