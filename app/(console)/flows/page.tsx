import type { Metadata } from 'next';
import { FlowList, type TemplateOption } from '@/components/flows/flow-list';
import { requirePageActor } from '@/lib/auth/page-actor';
import { flowList } from '@/lib/data';
import { loadTemplates } from '@/lib/flow/templates-catalog';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Flows · Optline' };

/** The flows list: every draft, with create, import, duplicate, rename and delete. */
export default async function FlowsPage() {
  const flows = await flowList(await requirePageActor());
  const templates: TemplateOption[] = loadTemplates().map(({ id, name, description }) => ({ id, name, description }));
  return (
    <main className="page">
      <PageHeader
        title="Flows"
        lede="Build a flow on the canvas; every path is checked for consent, quiet hours and identity before payment as you edit."
      />
      <FlowList initial={flows} templates={templates} />
    </main>
  );
}
