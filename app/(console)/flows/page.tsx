import type { Metadata } from 'next';
import { FlowList, type TemplateOption } from '@/components/flows/flow-list';
import { requirePageActor } from '@/lib/auth/page-actor';
import { flowList } from '@/lib/data';
import { loadTemplates } from '@/lib/flow/templates-catalog';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Flows · Optline' };

/** The flows list: every draft, with create, import, duplicate, rename and delete. */
export default async function FlowsPage() {
  const flows = await flowList(await requirePageActor());
  const templates: TemplateOption[] = loadTemplates().map(({ id, name, description }) => ({ id, name, description }));
  return (
    <main className="page">
      <header className="page-header">
        <h1>Flows</h1>
        <p className="lede">
          Build a flow on the canvas; every path is checked for consent, quiet hours and identity before payment as you edit.
        </p>
      </header>
      <FlowList initial={flows} templates={templates} />
    </main>
  );
}
