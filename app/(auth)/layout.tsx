import type { ReactNode } from 'react';
import styles from '@/components/auth/auth.module.css';

/** Set-up, sign-in and two-factor pages: no console navigation. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className={styles.shell} id="content">
      {children}
    </main>
  );
}
