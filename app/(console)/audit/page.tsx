import type { Metadata } from 'next';
import { AuditLog } from '@/components/admin/audit-log';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { auditLogPage } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log · Optline' };

export default async function AuditPage() {
  const actor = await requirePageActor();
  if (!can(actor, 'audit.export')) {
    return (
      <main className="page">
        <h1>Audit log</h1>
        <p>The audit log is open to owners, admins and reviewers.</p>
      </main>
    );
  }
  const { entries, users } = await auditLogPage(actor);
  return (
    <main className="page">
      <PageHeader
        title="Audit log"
        lede="Every sign-in, change, submission, decision, activation, consent change, token use and export. Nothing here can be edited or deleted."
      />
      <AuditLog
        initial={entries.map((e) => ({ ...e, at: e.at.toISOString() }))}
        people={Object.fromEntries(users.map((u) => [u.id, `${u.name} (${u.email})`]))}
      />
    </main>
  );
}
