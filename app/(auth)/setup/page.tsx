import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import styles from '@/components/auth/auth.module.css';
import { needsOwner } from '@/lib/auth/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Set up Optline' };

/** First start: create the owner account (only while no account exists). */
export default async function SetupPage() {
  if (!(await needsOwner())) redirect('/sign-in');
  return (
    <section className={styles.card} aria-labelledby="setup-title">
      <p className={styles.brand}>Optline</p>
      <h1 className={styles.title} id="setup-title">
        Create the owner account
      </h1>
      <p className="muted">
        This is the first start. The owner manages people and settings; you will set up two-factor sign-in next. Add editors, developers and
        reviewers afterwards under Settings.
      </p>
      <SetupForm />
    </section>
  );
}
