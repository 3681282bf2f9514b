import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { TwoFactorEnrol } from '@/components/auth/two-factor-enrol';
import styles from '@/components/auth/auth.module.css';
import { pageActor } from '@/lib/auth/page-actor';
import { ROLES_REQUIRING_2FA } from '@/lib/access/roles';
import { authServices } from '@/lib/auth/request-actor';
import { userRepository } from '@/lib/db/user-repository';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Two-factor sign-in · Optline' };

/** Sets up TOTP two-factor sign-in (required for owner, admin and reviewer before anything else). */
export default async function TwoFactorPage() {
  const actor = await pageActor();
  if (!actor || actor.via !== 'session') redirect('/sign-in?next=/two-factor');
  const user = await userRepository((await authServices()).pool).get(actor.userId);
  const required = ROLES_REQUIRING_2FA.includes(actor.role);
  return (
    <section className={`${styles.card} ${styles.wide}`} aria-labelledby="tfa-title">
      <p className={styles.brand}>Optline</p>
      <h1 className={styles.title} id="tfa-title">
        Two-factor sign-in
      </h1>
      {user?.twoFactorEnabled ? (
        <p>
          Two-factor sign-in is on for {actor.email}. <Link href="/">Go to Optline</Link>
        </p>
      ) : (
        <TwoFactorEnrol required={required} />
      )}
    </section>
  );
}
