import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { BusinessSettingsProvider } from '@/components/editor/business-settings';
import { ClientFlowEditor } from '@/components/editor/client-editor';
import { ReadOnlyFlow } from '@/components/flows/read-only-flow';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { flowById, flowReadOnly, keywordSettings } from '@/lib/data';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

/** One read per request, shared by the title and the page (each rendered on its own, so each is checked). */
const loadFlow = cache(async (id: string) => flowById(await requirePageActor(), id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const flow = await loadFlow((await params).id);
  return { title: flow ? `${flow.name} · Optline` : 'Flow not found · Optline' };
}

/**
 * The editor for one flow's draft. The page itself is small: the draft (with
 * the analyzer's findings) comes as JSON from the API, which the browser
 * starts fetching as soon as it reads the page's head, alongside the scripts.
 * A 1,000-step draft inside the page would be encoded into the HTML twice
 * over and decoded by React before anything could run.
 *
 * A role that does not edit flows (reviewer, developer) gets a read-only
 * canvas instead: no palette, inspector or save to be refused.
 */
export default async function FlowEditorPage({ params }: Props) {
  const actor = await requirePageActor();
  if (!can(actor, 'flows.edit')) {
    const view = await flowReadOnly(actor, (await params).id);
    if (!view) notFound();
    return <ReadOnlyFlow {...view} role={actor.role} canExport={can(actor, 'flows.transfer')} />;
  }
  const flow = await loadFlow((await params).id);
  if (!flow) notFound();
  const { brand, helpText, stopConfirmationText, startConfirmationText, pausedMarketingStates } = await keywordSettings(actor);
  const business = { keywordTexts: { brand, helpText, stopConfirmationText, startConfirmationText }, pausedMarketingStates };
  const source = `/api/flows/${encodeURIComponent(flow.id)}?view=editor`;
  // A link in the HTML itself (react-dom's preload() travels with the page's data, read only after the scripts start).
  return (
    <>
      <link rel="preload" href={source} as="fetch" crossOrigin="anonymous" />
      <BusinessSettingsProvider value={business}>
        <ClientFlowEditor source={source} />
      </BusinessSettingsProvider>
    </>
  );
}
