'use client';

import { useEffect, useRef, useState } from 'react';
import { exportFileName, serializeFlow } from '@/lib/editor/serialize';
import type { FlowDocument } from '@/lib/flow/schema';

/** The flow as its JSON file: download it or copy it. The text is exactly what `optline validate` reads. */
export function ExportDialog({ doc, valid, onClose }: { doc: FlowDocument; valid: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const text = serializeFlow(doc);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(doc);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="export-title" onClose={onClose}>
      <h2 id="export-title">Export JSON</h2>
      <p className="panel-hint">
        The flow document developers import, diff and check with <code>optline validate</code>.
        {!valid && <strong className="text-error"> The flow has problems to fix: validate will report them.</strong>}
      </p>
      <label className="field">
        <span className="field-label">{exportFileName(doc)}</span>
        <textarea readOnly value={text} rows={16} className="code-area" data-testid="export-json" />
      </label>
      <div className="dialog-actions">
        <span role="status" className="muted">
          {copied === 'done' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy failed: select the text and copy it.' : ''}
        </span>
        <button type="button" className="btn" onClick={copy}>
          Copy
        </button>
        <button type="button" className="btn btn-primary" onClick={download}>
          Download
        </button>
        <button type="button" className="btn" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
