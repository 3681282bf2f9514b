import { describeDuration } from '@/lib/flow/duration';
import { assertNever } from '@/lib/flow/catalog';
import type { FlowNode } from '@/lib/flow/schema';
import { countSegments } from '@/lib/compliance/segments';

type Loose = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const dur = (v: unknown) => (typeof v === 'string' && v ? describeDuration(v) : '—');

/** The key data of a node, as its card on the canvas shows it. */
export function NodeSummary({ node }: { node: FlowNode }) {
  const d = (node.data ?? {}) as Loose;
  switch (node.type) {
    case 'trigger':
      return <p className="node-line">{describeTrigger(d)}</p>;
    case 'consent.request':
      return (
        <>
          <MessagePreview body={str(d.body)} />
          <p className="node-line">
            {d.mode === 'explicit' ? `Needs a YES · waits ${dur(d.timeout)}` : `Notice · declines within ${dur(d.noticePeriod)}`} ·{' '}
            {str(d.purpose)}
          </p>
        </>
      );
    case 'consent.check':
      return <p className="node-line">Needs {str(d.purpose) || '—'} consent</p>;
    case 'message.send':
      return (
        <>
          <MessagePreview body={str(d.body)} />
          <p className="node-line">
            {str(d.purpose)}
            {d.outsideHours === 'send' ? ' · sends at once' : ' · held outside hours'}
          </p>
        </>
      );
    case 'message.ask':
      return (
        <>
          <MessagePreview body={str(d.body)} />
          <p className="node-line">
            {str(d.purpose)} · waits {dur(d.timeout)} for a reply
          </p>
        </>
      );
    case 'split': {
      const cases = Array.isArray(d.cases) ? (d.cases as Loose[]) : [];
      return (
        <p className="node-line">
          On {d.on === 'variable' ? `vars.${str(d.variable)}` : 'the reply'}: {cases.map((c) => str(c.handle)).join(', ') || '—'}, else
        </p>
      );
    }
    case 'wait.delay':
      return <p className="node-line node-big">Waits {dur(d.duration)}</p>;
    case 'wait.window':
      return (
        <p className="node-line node-big">
          {str(d.from) || '—'}–{str(d.to) || '—'} contact&apos;s time{Array.isArray(d.days) ? ` · ${(d.days as string[]).join(', ')}` : ''}
        </p>
      );
    case 'verify.identity':
      return (
        <>
          <MessagePreview body={str(d.body)} />
          <p className="node-line">
            {d.method === 'otp' ? 'One-time code' : d.method === 'dob' ? 'Date of birth' : 'ZIP code'} ·{' '}
            {typeof d.maxAttempts === 'number' ? d.maxAttempts : '—'} attempts
          </p>
        </>
      );
    case 'payment.request':
      return (
        <>
          <p className="node-line node-big">{formatAmount(d.amount, str(d.currency))}</p>
          <p className="node-line">Link expires in {dur(d.expiresIn)}</p>
        </>
      );
    case 'variable.set': {
      const assign = d.assign && typeof d.assign === 'object' ? Object.entries(d.assign as Loose) : [];
      return <p className="node-line node-mono">{assign.map(([k, v]) => `${k} = ${str(v)}`).join('; ') || '—'}</p>;
    }
    case 'end':
      return <p className="node-line">The run ends here</p>;
    default:
      return assertNever(node);
  }
}

function describeTrigger(d: Loose): string {
  switch (d.kind) {
    case 'manual':
      return 'Started by hand';
    case 'api':
      return 'Started through the API';
    case 'event':
      return `On event "${str(d.event)}"`;
    case 'keyword':
      return `When the contact texts ${Array.isArray(d.keywords) ? (d.keywords as string[]).join(' or ') : '—'}`;
    case 'schedule':
      return `At ${str(d.at) || '—'}${Array.isArray(d.days) ? ` on ${(d.days as string[]).join(', ')}` : ' every day'}`;
    default:
      return 'Choose how it starts';
  }
}

/** "$42.50", or the template and currency when the amount comes from a variable. */
export function formatAmount(amount: unknown, currency: string): string {
  if (typeof amount === 'number') {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() || 'USD' }).format(amount);
    } catch {
      return `${amount.toFixed(2)} ${currency.toUpperCase()}`;
    }
  }
  return `${str(amount) || '—'} ${currency.toUpperCase()}`;
}

/** A message's first lines and how it travels: segments and encoding. */
export function MessagePreview({ body }: { body: string }) {
  if (!body.trim()) return <p className="node-preview empty">No message yet</p>;
  const count = countSegments(body);
  return (
    <>
      <p className="node-preview">{body}</p>
      <p className={`node-segments${count.segments > 2 || count.encoding === 'UCS-2' ? ' warn' : ''}`}>
        {count.segments} segment{count.segments === 1 ? '' : 's'} · {count.encoding}
      </p>
    </>
  );
}
