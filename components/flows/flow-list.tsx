'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { FlowSummary, LatestVersion } from '@/lib/flows';
import { callApi as call, type ApiError } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { SelectField } from '@/components/ui/select-field';
import { useApiRequest } from '@/components/ui/use-api-request';
import { LocalTime } from '@/components/ui/local-time';
import { ReviewStatus } from './review-status';

/** A template offered in the "new flow" dialog and the empty state. */
export interface TemplateOption {
  id: string;
  name: string;
  description: string;
}

type Dialog = { kind: 'new' } | { kind: 'import' } | { kind: 'rename'; flow: FlowSummary } | { kind: 'delete'; flow: FlowSummary } | null;

/** What the signed-in role may do from the list: the controls follow it (the API checks the same permissions). */
export interface FlowListAccess {
  /** Create, rename, duplicate and delete drafts (`flows.edit`). */
  canEdit: boolean;
  /** Import flow JSON (`flows.transfer`). */
  canImport: boolean;
}

/**
 * The flows list: search, each flow's review status, and, as the role allows,
 * create (blank or from a template), import, duplicate, rename and delete.
 */
export function FlowList({
  initial,
  templates,
  access,
  statuses,
}: {
  initial: FlowSummary[];
  templates: TemplateOption[];
  access: FlowListAccess;
  /** Each flow's newest version, by flow id. */
  statuses: Record<string, LatestVersion>;
}) {
  const { canEdit, canImport } = access;
  const router = useRouter();
  const [flows, setFlows] = useState(initial);
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? flows.filter((f) => f.name.toLowerCase().includes(q) || f.id.includes(q)) : flows;
  }, [flows, query]);

  const refresh = async () => {
    const r = await call<{ flows: FlowSummary[] }>('/api/flows');
    if (r.ok) setFlows(r.body.flows);
  };
  const open = (id: string) => router.push(`/flows/${encodeURIComponent(id)}`);

  const fromTemplate = async (template: string) => {
    const r = await call<{ flow: FlowSummary }>('/api/flows', { method: 'POST', body: JSON.stringify({ template }) });
    if (r.ok) open(r.body.flow.id);
    else setNotice(r.error.message);
  };

  const duplicate = async (flow: FlowSummary) => {
    const r = await call<{ flow: FlowSummary }>(`/api/flows/${encodeURIComponent(flow.id)}/duplicate`, { method: 'POST' });
    setNotice(r.ok ? `Duplicated as “${r.body.flow.name}”.` : r.error.message);
    await refresh();
  };

  const flowActions = (f: FlowSummary) => (
    <>
      <Link href={`/flows/${encodeURIComponent(f.id)}/versions`} className="btn btn-small" aria-label={`Versions and review of ${f.name}`}>
        Versions
      </Link>
      {canEdit && (
        <>
          <FlowButton action="Rename" flow={f} onClick={() => setDialog({ kind: 'rename', flow: f })} />
          <FlowButton action="Duplicate" flow={f} onClick={() => void duplicate(f)} />
          <FlowButton action="Delete" flow={f} onClick={() => setDialog({ kind: 'delete', flow: f })} danger />
        </>
      )}
    </>
  );

  const columns: Column<FlowSummary>[] = [
    {
      header: 'Name',
      cell: (f) => (
        <>
          <Link href={`/flows/${encodeURIComponent(f.id)}`} className="flow-link">
            {f.name}
          </Link>
          <div className="meta">
            <code>{f.id}</code>
          </div>
        </>
      ),
    },
    { header: 'Steps', cell: (f) => f.nodeCount },
    { header: 'Last edited', cell: (f) => <LocalTime iso={f.updatedAt} /> },
    { header: 'Review', cell: (f) => <ReviewStatus flowId={f.id} latest={statuses[f.id]} /> },
    { header: 'Actions', hiddenHeader: true, className: 'row-actions', cell: flowActions },
  ];

  return (
    <div className="flow-list">
      <div className="list-toolbar">
        <label htmlFor="flow-search" className="visually-hidden">
          Search flows
        </label>
        <input id="flow-search" type="search" placeholder="Search flows" value={query} onChange={(e) => setQuery(e.target.value)} />
        {canImport && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'import' })}>
            Import JSON
          </button>
        )}
        {canEdit && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'new' })}>
            New flow
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}

      {flows.length === 0 && !canEdit ? (
        <p className="muted">No flows yet. Editors create them; you will see them here.</p>
      ) : flows.length === 0 ? (
        <EmptyState title="No flows yet" lede="Start from a template that already passes every compliance check, or from a blank canvas.">
          <ul className="template-grid">
            {templates.map((t) => (
              <li key={t.id}>
                <button type="button" className="template-choice" onClick={() => void fromTemplate(t.id)}>
                  <strong>{t.name}</strong>
                  <span>{t.description}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'new' })}>
            Start from a blank canvas
          </button>
        </EmptyState>
      ) : (
        <DataTable label="Flows" rows={shown} empty={<>No flow matches “{query}”.</>} columns={columns} />
      )}

      {dialog?.kind === 'new' && <NewFlowDialog templates={templates} onClose={() => setDialog(null)} onCreated={open} />}
      {dialog?.kind === 'import' && <ImportDialog onClose={() => setDialog(null)} onImported={open} />}
      {dialog?.kind === 'rename' && (
        <RenameDialog
          flow={dialog.flow}
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            await refresh();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          flow={dialog.flow}
          onClose={() => setDialog(null)}
          onDone={async (message) => {
            setDialog(null);
            setNotice(message);
            await refresh();
          }}
        />
      )}
    </div>
  );
}

/** A row's action on one flow, named for screen readers with the flow ("Rename Welcome"). */
function FlowButton({
  action,
  flow,
  onClick,
  danger = false,
}: {
  action: string;
  flow: FlowSummary;
  onClick: () => void;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-small btn-danger' : 'btn btn-small'}
      onClick={onClick}
      aria-label={`${action} ${flow.name}`}
    >
      {action}
    </button>
  );
}

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  // A native modal dialog: focus stays inside, Escape closes it.
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={onClose}>
      <h2 id="dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

/** A dialog holding one form: its fields, the API's error, then Cancel and the submit button. */
function FormDialog({
  title,
  onClose,
  onSubmit,
  error,
  submitLabel,
  disabled = false,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (e: FormEvent) => void;
  error: ApiError | null;
  submitLabel: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={onSubmit}>
        {children}
        <ErrorList error={error} />
        <FormButtons label={submitLabel} onCancel={onClose} disabled={disabled} />
      </form>
    </Modal>
  );
}

/** A dialog form's Cancel and submit buttons. */
function FormButtons({ label, onCancel, disabled = false }: { label: string; onCancel: () => void; disabled?: boolean }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={disabled}>
        {label}
      </button>
    </div>
  );
}

function ErrorList({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="form-errors" role="alert" data-testid="form-errors">
      <p className="text-error">{error.message}</p>
      {error.details && error.details.length > 0 && (
        <ul className="problem-lines">
          {error.details.map((d, i) => (
            <li key={i}>
              {d.path && <code>{d.path}</code>} {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewFlowDialog({
  templates,
  onClose,
  onCreated,
}: {
  templates: TemplateOption[];
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const [name, setName] = useState('');
  const [brand, setBrand] = useState('');
  const [template, setTemplate] = useState('');
  const { loading: busy, error, request } = useApiRequest();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const json = template ? { template, ...(name.trim() ? { name } : {}) } : { name, ...(brand.trim() ? { brand } : {}) };
    const created = await request<{ flow: FlowSummary }>('/api/flows', { method: 'POST', json });
    if (created) onCreated(created.flow.id);
  };
  return (
    <FormDialog title="New flow" onClose={onClose} onSubmit={submit} error={error} submitLabel="Create" disabled={busy}>
      <SelectField
        label="Start from"
        value={template}
        onChange={(e) => setTemplate(e.target.value)}
        none="A blank canvas"
        options={templates.map((t) => ({ value: t.id, label: `Template: ${t.name}` }))}
      />
      <FormField
        label="Name"
        hint={template ? 'Leave empty to keep the template’s name.' : undefined}
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoFocus
        required={!template}
        maxLength={120}
      />
      {!template && (
        <FormField
          label="Brand"
          hint="Named in every text, as carriers require."
          value={brand}
          onChange={(e) => setBrand(e.target.value)}
          maxLength={80}
        />
      )}
    </FormDialog>
  );
}

function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (id: string) => void }) {
  const [text, setText] = useState('');
  const { loading: busy, error, request } = useApiRequest();
  const readFile = async (file: File | undefined) => {
    if (file) setText(await file.text());
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const imported = await request<{ flow: FlowSummary }>('/api/flows/import', { method: 'POST', json: { text } });
    if (imported) onImported(imported.flow.id);
  };
  return (
    <FormDialog
      title="Import a flow"
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel="Import"
      disabled={busy || !text.trim()}
    >
      <FormField
        label="Flow file (.json)"
        type="file"
        accept="application/json,.json"
        onChange={(e) => void readFile(e.target.files?.[0])}
      />
      <Field label="…or paste the flow JSON">
        {(p) => (
          <textarea {...p} className="code-area" rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        )}
      </Field>
    </FormDialog>
  );
}

function RenameDialog({ flow, onClose, onDone }: { flow: FlowSummary; onClose: () => void; onDone: () => Promise<void> }) {
  const [name, setName] = useState(flow.name);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call(`/api/flows/${encodeURIComponent(flow.id)}`, { method: 'PATCH', body: JSON.stringify({ name }) });
    if (r.ok) await onDone();
    else setError(r.error);
  };
  return (
    <FormDialog title={`Rename “${flow.name}”`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Rename">
      <FormField label="Name" value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={120} />
    </FormDialog>
  );
}

function DeleteDialog({ flow, onClose, onDone }: { flow: FlowSummary; onClose: () => void; onDone: (message: string) => Promise<void> }) {
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async () => {
    const r = await call(`/api/flows/${encodeURIComponent(flow.id)}`, { method: 'DELETE' });
    if (r.ok) await onDone(`Deleted “${flow.name}”.`);
    else setError(r.error);
  };
  return (
    <Modal title={`Delete “${flow.name}”?`} onClose={onClose}>
      <p>The draft is deleted for good. A flow with published versions cannot be deleted.</p>
      <ErrorList error={error} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={() => void remove()}>
          Delete
        </button>
      </div>
    </Modal>
  );
}
