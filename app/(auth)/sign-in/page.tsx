import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import styles from '@/components/auth/auth.module.css';
import { needsOwner, pageActor } from '@/lib/auth/page-actor';
import { safeReturnPath } from '@/lib/auth/return-path';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Optline' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await needsOwner()) redirect('/setup');
  // Only paths inside the app are followed after sign-in (no open redirect).
  const next = safeReturnPath((await searchParams).next);
  if (await pageActor()) redirect(next);
  return (
    <section className={styles.card} aria-labelledby="sign-in-title">
      <p className={styles.brand}>Optline</p>
      <h1 className={styles.title} id="sign-in-title">
        Sign in
      </h1>
      <SignInForm next={next} publicUrl={env().publicUrl} />
    </section>
  );
}
