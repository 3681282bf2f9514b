import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../../components/auth/sign-in-form';
import styles from '../../../components/auth/auth.module.css';
import { needsOwner, pageActor } from '../../../lib/auth/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Optline' };

/** Only paths inside the console are followed after sign-in (no open redirect). */
function safeNext(next: string | string[] | undefined): string {
  const n = typeof next === 'string' ? next : '';
  return /^\/(?!\/)[^\s\\]*$/.test(n) ? n : '/';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await needsOwner()) redirect('/setup');
  const next = safeNext((await searchParams).next);
  if (await pageActor()) redirect(next);
  return (
    <section className={styles.card} aria-labelledby="sign-in-title">
      <p className={styles.brand}>Optline</p>
      <h1 className={styles.title} id="sign-in-title">
        Sign in
      </h1>
      <SignInForm next={next} />
    </section>
  );
}
