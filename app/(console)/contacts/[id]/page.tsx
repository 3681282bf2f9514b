import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConsentPills } from '@/components/contacts/consent-pills';
import { ConsentTimeline } from '@/components/contacts/consent-timeline';
import styles from '@/components/contacts/contacts.module.css';
import { RunStatus } from '@/components/runs/run-status';
import { DataTable, type Column } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import { requirePageActor } from '@/lib/auth/page-actor';
import type { ContactRunView } from '@/lib/contacts';
import { contactDetail } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contact · Optline' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_BADGE: Record<string, string> = { active: 'badge-ok', done: 'badge-ok', error: 'badge-error', stopped: 'badge-warn' };

const RUN_COLUMNS: Column<ContactRunView>[] = [
  {
    header: 'Flow',
    cell: (r) => (
      <>
        {r.flowName}
        <div className="meta">
          <code>{r.flowId}</code>
        </div>
      </>
    ),
  },
  { header: 'Version', cell: (r) => `v${r.version}` },
  {
    header: 'Status',
    cell: (r) => <RunStatus label={r.status} badge={`badge ${STATUS_BADGE[r.status] ?? ''}`} stopReason={r.stopReason} />,
  },
  { header: 'Started', cell: (r) => <LocalTime iso={r.startedAt} /> },
  {
    header: 'Open',
    hiddenHeader: true,
    className: 'row-actions',
    cell: (r) => (
      <Link href={`/runs/${r.id}`} className="btn btn-small" aria-label={`Open the run of ${r.flowName}, started ${r.startedAt}`}>
        Open run
      </Link>
    ),
  },
];

/** One contact: details (ZIP and date of birth masked), consent timeline, runs. */
export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const detail = await contactDetail(actor, id);
  if (!detail) notFound();
  const { contact, consent, events, runs } = detail;
  return (
    <main className="page">
      <p>
        <Link href="/contacts">← Contacts</Link>
      </p>
      <PageHeader
        title={contact.name ?? contact.phone ?? 'Erased contact'}
        lede={
          <>
            <ConsentPills consent={consent} />
          </>
        }
      />

      <section aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className={styles.details}>
          <dt>Phone</dt>
          <dd>{contact.phone ?? <span className="muted">erased</span>}</dd>
          <dt>Name</dt>
          <dd>{contact.name ?? <span className="muted">—</span>}</dd>
          <dt>First name</dt>
          <dd>{contact.firstName ?? <span className="muted">—</span>}</dd>
          <dt>State</dt>
          <dd>{contact.state ?? <span className="muted">— (from ZIP or area code)</span>}</dd>
          <dt>Time zone</dt>
          <dd>{contact.zone ?? <span className="muted">— (from ZIP or area code)</span>}</dd>
          <dt>ZIP</dt>
          <dd title="Used to verify identity, so never shown in full">{contact.zipMasked ?? <span className="muted">—</span>}</dd>
          <dt>Date of birth</dt>
          <dd title="Used to verify identity, so never shown">
            {contact.dateOfBirthOnFile ? 'on file (hidden)' : <span className="muted">—</span>}
          </dd>
          <dt>Added</dt>
          <dd>
            <LocalTime iso={contact.createdAt} />
          </dd>
          {contact.erasedAt && (
            <>
              <dt>Erased</dt>
              <dd>
                <LocalTime iso={contact.erasedAt} />
              </dd>
            </>
          )}
        </dl>
      </section>

      <section className={styles.section} aria-labelledby="consent-heading">
        <div className={styles.sectionHead}>
          <h2 id="consent-heading">Consent timeline</h2>
          <a className="btn btn-small" href={`/api/consent/export.csv?contactId=${contact.id}`} download>
            Export this contact’s consent (CSV)
          </a>
        </div>
        <ConsentTimeline events={events} contactZones={contact.zones} />
      </section>

      <section className={styles.section} aria-labelledby="runs-heading">
        <h2 id="runs-heading">Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">This contact has not been in any flow yet.</p>
        ) : (
          <DataTable label="Runs of this contact" rows={runs} columns={RUN_COLUMNS} />
        )}
      </section>
    </main>
  );
}
