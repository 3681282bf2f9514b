import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { defaultFlowRepository } from '../../../api/flows/handlers';
import { ClientFlowEditor } from '../../../../components/editor/client-editor';
import { withPositions } from '../../../../lib/editor/layout';
import { lintFindings } from '../../../../lib/editor/lint';
import type { FlowDocument } from '../../../../lib/flow/schema';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

/** One read per request, shared by the title and the page. */
const loadFlow = cache(async (id: string) => (await defaultFlowRepository()).getFlow(id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const flow = await loadFlow((await params).id);
  return { title: flow ? `${flow.name} · Optline` : 'Flow not found · Optline' };
}

/** The editor for one flow's draft. */
export default async function FlowEditorPage({ params }: Props) {
  const flow = await loadFlow((await params).id);
  if (!flow) notFound();
  // A saved draft has the document's shape (the save route checks it); its node data may be mid-edit, which the editor shows as problems.
  // Laid out here when imported without positions: the browser does not load the layout code to open the editor.
  const draft = withPositions(flow.draft as unknown as FlowDocument);
  // The first verdict is made here, with the page: the browser shows it without running the analyzer.
  return <ClientFlowEditor initial={draft} findings={lintFindings(draft)} />;
}
