import type { Metadata } from 'next';
import { FlowList, type TemplateOption } from '@/components/flows/flow-list';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { flowList, flowReviewStatuses } from '@/lib/data';
import { loadTemplates } from '@/lib/flow/templates-catalog';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Flows · Optline' };

/** The flows list: every draft with its review status; create, import, duplicate, rename and delete as the role allows. */
export default async function FlowsPage() {
  const actor = await requirePageActor();
  const flows = await flowList(actor);
  const statuses = await flowReviewStatuses(actor);
  const access = { canEdit: can(actor, 'flows.edit'), canImport: can(actor, 'flows.transfer') };
  const templates: TemplateOption[] = loadTemplates().map(({ id, name, description }) => ({ id, name, description }));
  return (
    <main className="page">
      <PageHeader
        title="Flows"
        lede={
          access.canEdit
            ? 'Build a flow on the canvas; every path is checked for consent, quiet hours and identity before payment as you edit.'
            : 'Every flow and where its newest version stands in review. Open one to see its canvas and versions.'
        }
      />
      <FlowList initial={flows} templates={templates} access={access} statuses={statuses} />
    </main>
  );
}
