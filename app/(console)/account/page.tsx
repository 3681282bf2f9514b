import type { Metadata } from 'next';
import Link from 'next/link';
import { TokensPanel } from '@/components/admin/tokens-panel';
import styles from '@/components/admin/admin.module.css';
import { publicToken } from '@/lib/auth/api-tokens';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can, ROLE_PERMISSIONS, ROLES_REQUIRING_2FA, TOKEN_SCOPES } from '@/lib/access/roles';
import { ownAccount, ownTokens } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account · Optline' };

export default async function AccountPage() {
  const actor = await requirePageActor();
  const user = await ownAccount(actor);
  const tokens = can(actor, 'tokens.manage') ? await ownTokens(actor) : null;
  return (
    <main className="page">
      <PageHeader
        title="Account"
        lede={
          <>
            {actor.name} · {actor.email} · {actor.role}
          </>
        }
      />
      <section className={styles.section} aria-labelledby="tfa-heading">
        <h2 id="tfa-heading">Two-factor sign-in</h2>
        {user?.twoFactorEnabled ? (
          <p>On: every sign-in asks for a code from your authenticator app (or a backup code).</p>
        ) : (
          <p>
            Off{ROLES_REQUIRING_2FA.includes(actor.role) ? ' (required for your role)' : ''}. <Link href="/two-factor">Set it up</Link>
          </p>
        )}
      </section>
      {tokens && (
        <section className={styles.section} aria-labelledby="tokens-heading">
          <h2 id="tokens-heading">API tokens</h2>
          <p className="muted">
            For scripts and CI: the REST API accepts them as <code>Authorization: Bearer …</code>, within the scopes you give.
          </p>
          <TokensPanel
            initial={tokens.map(publicToken)}
            allowedScopes={TOKEN_SCOPES.filter((s) => ROLE_PERMISSIONS[actor.role].includes(s))}
          />
        </section>
      )}
    </main>
  );
}
