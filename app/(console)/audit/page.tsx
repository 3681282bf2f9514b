import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuditLog } from '../../../components/admin/audit-log';
import { pageActor } from '../../../lib/auth/page-actor';
import { authServices } from '../../../lib/auth/request-actor';
import { can } from '../../../lib/auth/roles';
import { listAudit } from '../../../lib/db/audit-repository';
import { userRepository } from '../../../lib/db/user-repository';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log · Optline' };

export default async function AuditPage() {
  const actor = await pageActor();
  if (!actor) redirect('/sign-in');
  if (!can(actor, 'audit.export')) {
    return (
      <main className="page">
        <h1>Audit log</h1>
        <p>The audit log is open to owners, admins and reviewers.</p>
      </main>
    );
  }
  const { pool } = await authServices();
  const [entries, users] = await Promise.all([listAudit(pool, { limit: 100 }), userRepository(pool).list()]);
  return (
    <main className="page">
      <header className="page-header">
        <h1>Audit log</h1>
        <p className="lede">Every sign-in, change, submission, decision, activation, consent change, token use and export. Nothing here can be edited or deleted.</p>
      </header>
      <AuditLog initial={entries.map((e) => ({ ...e, at: e.at.toISOString() }))} people={Object.fromEntries(users.map((u) => [u.id, `${u.name} (${u.email})`]))} />
    </main>
  );
}
