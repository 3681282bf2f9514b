import Link from 'next/link';
import { TemplateCard } from '@/components/template-card';
import { requirePageActor } from '@/lib/auth/page-actor';
import { loadTemplates } from '@/lib/flow/templates-catalog';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';

/** Home: the built-in templates with the analyzer's verdict on each. */
export default async function HomePage() {
  await requirePageActor();
  const templates = loadTemplates();
  return (
    <main className="page">
      <PageHeader
        title="Optline"
        lede="Compliant SMS flows: every flow is checked for consent, quiet hours, identity before payment and message content before anything is sent."
      >
        <p>
          <Link href="/flows" className="btn btn-primary">
            Build a flow
          </Link>
        </p>
      </PageHeader>
      <section aria-labelledby="templates-heading">
        <h2 id="templates-heading">Templates</h2>
        <ul className="card-list">
          {templates.map((t) => (
            <li key={t.id}>
              <TemplateCard template={t} />
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
