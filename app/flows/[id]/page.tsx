import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { defaultFlowRepository } from '../../api/flows/handlers';
import { FlowEditor } from '../../../components/editor/flow-editor';
import type { FlowDocument } from '../../../lib/flow/schema';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const flow = await (await defaultFlowRepository()).getFlow((await params).id);
  return { title: flow ? `${flow.name} · Optline` : 'Flow not found · Optline' };
}

/** The editor for one flow's draft. */
export default async function FlowEditorPage({ params }: Props) {
  const flow = await (await defaultFlowRepository()).getFlow((await params).id);
  if (!flow) notFound();
  // A saved draft has the document's shape (the save route checks it); its node data may be mid-edit, which the editor shows as problems.
  return <FlowEditor initial={flow.draft as unknown as FlowDocument} />;
}
