import type { ConsentByPurpose, PurposeStatus } from '@/lib/contacts';
import styles from './contacts.module.css';

const WORD: Record<PurposeStatus, string> = { granted: 'granted', revoked: 'revoked', none: 'not given' };

/** A contact's consent for each purpose, as two labelled pills. */
export function ConsentPills({ consent }: { consent: ConsentByPurpose }) {
  return (
    <span className={styles.consentPills}>
      {(['informational', 'marketing'] as const).map((purpose) => (
        <span
          key={purpose}
          className={`${styles.pill} ${styles[consent[purpose]]}`}
          title={`${purpose} consent: ${WORD[consent[purpose]]}`}
        >
          {purpose === 'informational' ? 'Info' : 'Marketing'}: {WORD[consent[purpose]]}
        </span>
      ))}
    </span>
  );
}
