'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { gridPositions, lacksPositions, withPositions } from '@/lib/editor/layout';
import { createLayoutClient } from '@/lib/editor/layout-client';
import type { LintFindings } from '@/lib/editor/lint-index';
import type { FlowDocument } from '@/lib/flow/schema';
import { FlowEditor } from './flow-editor';

const never = () => () => {};

/**
 * The editor's view of a flow (GET /api/flows/<id>?view=editor), or why it
 * could not be had. `findings` is null for a draft the server left to the
 * browser's analysis worker (a big one).
 */
type Opened = { ok: true; draft: FlowDocument; findings: LintFindings | null } | { ok: false; status: number; message: string };

async function open(source: string): Promise<Opened> {
  try {
    // A plain GET, as the page's preload asked for it, so the browser hands over the response it already has.
    const res = await fetch(source);
    const body = (await res.json().catch(() => null)) as {
      draft?: FlowDocument;
      findings?: LintFindings | null;
      error?: { message?: string };
    } | null;
    if (res.ok && body?.draft && body.findings !== undefined) return { ok: true, draft: body.draft, findings: body.findings };
    return { ok: false, status: res.status, message: body?.error?.message ?? `the server answered ${res.status}` };
  } catch {
    return { ok: false, status: 0, message: 'the server could not be reached' };
  }
}

function Opening() {
  return (
    <div className="editor editor-loading" role="status">
      Opening the editor…
    </div>
  );
}

/**
 * A draft imported without positions, laid out before the editor opens on
 * it: in a Web Worker (the server never lays out), with how far along it is
 * and a way to skip it. Skipped or failed, the steps open in a plain grid the
 * user can tidy up later. The laid-out draft opens unchanged (not dirty), as
 * the saved draft's view; saving keeps the positions.
 */
function LayingOut({ draft, onDone }: { draft: FlowDocument; onDone: (laid: FlowDocument) => void }) {
  const [progress, setProgress] = useState(0);
  const [skip] = useState(() => new AbortController());
  useEffect(() => {
    const client = createLayoutClient();
    let current = true;
    client.layout(draft, {}, { onProgress: setProgress, signal: skip.signal }).then(
      (positions) => current && onDone(withPositions(draft, positions)),
      () => current && onDone(withPositions(draft, gridPositions(draft))),
    );
    return () => {
      current = false;
      client.dispose();
    };
  }, [draft, onDone, skip]);
  const percent = Math.round(progress * 100);
  return (
    <div className="editor editor-loading" role="status">
      <p>
        Laying out {draft.nodes.length.toLocaleString('en-US')} steps… {percent} %
      </p>
      <progress max={100} value={percent} aria-label="Laying out the steps" />
      <button type="button" className="btn btn-small" onClick={() => skip.abort()}>
        Skip (open them in a grid)
      </button>
    </div>
  );
}

/**
 * The editor runs in the browser only: the canvas needs the browser's layout
 * to place and measure steps. Its code comes with the page (a static import),
 * and the draft is fetched from `source` from the first moment the page runs.
 *
 * The draft's arrival is a plain state update, not a promise read under
 * Suspense: React holds back a Suspense boundary's content after a fallback
 * has shown (its reveal throttle, about 300 ms), and the editor would wait
 * that long after its draft had arrived.
 */
export function ClientFlowEditor({ source }: { source: string }) {
  // Asked for while the page hydrates (never on the server).
  const [opening] = useState<Promise<Opened> | null>(() => (typeof window === 'undefined' ? null : open(source)));
  const [opened, setOpened] = useState<Opened | null>(null);
  const [laid, setLaid] = useState<FlowDocument | null>(null);
  useEffect(() => {
    let current = true;
    void opening?.then((result) => {
      if (current) setOpened(result);
    });
    return () => {
      current = false;
    };
  }, [opening]);
  // false on the server and while hydrating, true from the first browser render on.
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  if (!inBrowser || !opened) return <Opening />;
  if (!opened.ok) {
    return (
      <div className="editor editor-loading" role="alert">
        <p>
          The editor could not open this flow: {opened.message}.{' '}
          {opened.status === 401 ? (
            <a href={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>Sign in again</a>
          ) : (
            <a href="">Try again</a>
          )}
        </p>
      </div>
    );
  }
  if (lacksPositions(opened.draft) && !laid) return <LayingOut draft={opened.draft} onDone={setLaid} />;
  return <FlowEditor initial={laid ?? opened.draft} findings={opened.findings ?? undefined} />;
}
