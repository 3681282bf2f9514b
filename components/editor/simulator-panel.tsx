'use client';

import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { parseFlow } from '@/lib/flow/parse';
import { formatLocal, zonedInstant } from '@/lib/compliance/local-time';
import { formatClock } from '@/lib/compliance/time-display';
import { resolveZones } from '@/lib/compliance/zones';
import type { ConsentLevel } from '@/lib/compliance/types';
import type { FlowMachine } from '@/lib/flow/compile';
import {
  advanceToNextTimer,
  currentNodeId,
  nextDue,
  simulatePayment,
  simulateReply,
  simulationMachine,
  startSimulation,
  describeLocal,
  type SimState,
  type VirtualContact,
} from '@/lib/simulator/simulation';
import { flowVariables } from '@/lib/editor/variables';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { SelectField } from '@/components/ui/select-field';
import { useBusinessSettings } from './business-settings';
import { useEditor } from './editor-context';

/** Zones a marketer can pick for the virtual contact (the contact's own phone and ZIP may add more). */
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
] as const;

const ZONE_OPTIONS = ZONES.map((z) => ({ value: z, label: z.replace('_', ' ') }));

const CONSENT: { value: ConsentLevel; label: string }[] = [
  { value: 'missing', label: 'No consent on record' },
  { value: 'informational', label: 'Informational texts only' },
  { value: 'granted', label: 'Marketing and informational' },
  { value: 'revoked', label: 'Opted out (STOP)' },
];

interface ContactForm {
  phone: string;
  zone: string;
  state: string;
  zip: string;
  firstName: string;
  consent: ConsentLevel;
  dob: string;
  /** Wall-clock start in the contact's zone, `YYYY-MM-DDTHH:mm`. */
  start: string;
}

/** Today at 10:00 in the zone, as a `datetime-local` value (the UI's starting suggestion; the simulation itself never reads the clock). */
function suggestedStart(zone: string): string {
  return `${formatLocal(new Date(), zone).iso.slice(0, 10)}T10:00`;
}

/** A plausible value for a run variable, by its name, so a simulation reads like a real text. */
function sampleValue(name: string): string {
  if (/amount|total|due|balance|price/i.test(name)) return '42.50';
  if (/phone|number/i.test(name)) return '(555) 010-0100';
  if (/date|day/i.test(name)) return 'Tuesday, March 10';
  if (/time/i.test(name)) return '10:30 AM';
  if (/url|link/i.test(name)) return 'https://example.com';
  return `sample ${name.replace(/_/g, ' ')}`;
}

function startInstant(form: ContactForm): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(form.start);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return zonedInstant(form.zone, y, mo, d, h * 60 + mi);
}

/**
 * The simulator: a virtual contact and a virtual clock, the compiled machine
 * and the runtime's own send-time guard, all in the browser. The phone mock
 * shows what the contact would receive; replies, payments and "advance to the
 * next timer" drive the run. Nothing is sent and nothing is stored.
 */
export function SimulatorPanel({ onActiveNode }: { onActiveNode: (id: string | null) => void }) {
  const doc = useEditor((s) => s.doc);
  const [form, setForm] = useState<ContactForm>(() => ({
    phone: '+13125550100',
    zone: 'America/Chicago',
    state: 'IL',
    zip: '60601',
    firstName: 'Sam',
    consent: 'granted',
    dob: '1980-04-12',
    start: suggestedStart('America/Chicago'),
  }));
  // The values a run starts with: the flow's `vars.*`, less those the flow sets itself.
  const varNames = useMemo(() => {
    const assigned = new Set(doc.nodes.flatMap((n) => (n.type === 'variable.set' && n.data?.assign ? Object.keys(n.data.assign) : [])));
    return flowVariables(doc)
      .filter((v) => v.name.startsWith('vars.') && !assigned.has(v.name.slice(5)))
      .map((v) => v.name.slice(5));
  }, [doc]);
  const [vars, setVars] = useState<Record<string, string>>({});
  const business = useBusinessSettings();
  const [run, setRun] = useState<{ machine: FlowMachine; sim: SimState; flowKey: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const flowKey = useMemo(
    () => JSON.stringify({ nodes: doc.nodes.map((n) => [n.id, n.type, n.data]), edges: doc.edges, policy: doc.policy }),
    [doc],
  );
  const stale = run !== null && run.flowKey !== flowKey;
  const phoneEnd = useRef<HTMLLIElement>(null);

  useEffect(() => {
    onActiveNode(run && run.sim.status === 'running' ? currentNodeId(run.sim) : null);
  }, [run, onActiveNode]);
  useEffect(() => () => onActiveNode(null), [onActiveNode]);
  useEffect(() => {
    phoneEnd.current?.scrollIntoView?.({ block: 'nearest' });
  }, [run?.sim.messages.length]);

  const set = <K extends keyof ContactForm>(key: K, value: ContactForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const start = (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    const parsed = parseFlow(doc);
    if (!parsed.ok) {
      setError(`The flow cannot run yet: ${parsed.problems[0]?.message ?? 'it is not valid'}. Fix the problems first.`);
      return;
    }
    const at = startInstant(form);
    if (!at) {
      setError('Choose the date and time the simulation starts.');
      return;
    }
    const contact: VirtualContact = {
      consent: form.consent,
      zone: form.zone,
      ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      ...(form.state.trim() ? { state: form.state.trim().toUpperCase() } : {}),
      ...(form.zip.trim() ? { zip: form.zip.trim() } : {}),
      ...(form.firstName.trim() ? { firstName: form.firstName.trim() } : {}),
      ...(form.dob.trim() ? { dob: form.dob.trim() } : {}),
    };
    try {
      const machine = simulationMachine(parsed.flow);
      const runVars = Object.fromEntries(varNames.map((n) => [n, vars[n] ?? sampleValue(n)]));
      const settings = business ? { keywordTexts: business.keywordTexts, pausedStates: business.pausedMarketingStates } : {};
      setRun({ machine, sim: startSimulation(machine, { flow: parsed.flow, contact, start: at, vars: runVars, ...settings }), flowKey });
    } catch (err) {
      setError(`The simulation could not start: ${(err as Error).message}`);
    }
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!run || !reply.trim()) return;
    setRun({ ...run, sim: simulateReply(run.machine, run.sim, reply.trim()) });
    setReply('');
  };

  if (!run) {
    return (
      <form className="simulator-setup" onSubmit={start} aria-label="Simulation set-up">
        <p className="panel-hint">Try the flow on a virtual contact and a virtual clock. Nothing is sent.</p>
        <FormField label="Phone" value={form.phone} onChange={(e) => set('phone', e.target.value)} inputMode="tel" />
        <div className="inline-fields">
          <SelectField label="Time zone" value={form.zone} onChange={(e) => set('zone', e.target.value)} options={ZONE_OPTIONS} />
          <FormField label="State" value={form.state} maxLength={2} onChange={(e) => set('state', e.target.value)} />
          <FormField label="ZIP" value={form.zip} maxLength={10} onChange={(e) => set('zip', e.target.value)} />
        </div>
        <div className="inline-fields">
          <FormField label="First name" value={form.firstName} onChange={(e) => set('firstName', e.target.value)} />
          <FormField label="Date of birth" type="date" value={form.dob} onChange={(e) => set('dob', e.target.value)} />
        </div>
        <SelectField
          label="Consent on record"
          value={form.consent}
          onChange={(e) => set('consent', e.target.value as ConsentLevel)}
          options={CONSENT}
        />
        {varNames.length > 0 && (
          <fieldset className="sim-vars">
            <legend className="field-label">Run variables</legend>
            {varNames.map((n) => (
              <Field key={n} label={`vars.${n}`}>
                {(p) => (
                  <input {...p} value={vars[n] ?? sampleValue(n)} onChange={(e) => setVars((v) => ({ ...v, [n]: e.target.value }))} />
                )}
              </Field>
            ))}
          </fieldset>
        )}
        <FormField
          label="Starts at (contact's local time)"
          hint={`Wall-clock time in ${form.zone}.`}
          type="datetime-local"
          value={form.start}
          onChange={(e) => set('start', e.target.value)}
        />
        <ErrorText error={error ? { message: error } : null} />
        <button type="submit" className="btn btn-primary">
          Start simulation
        </button>
      </form>
    );
  }

  const { sim, machine } = run;
  const zones = resolveZones(sim.contact);
  const due = nextDue(sim);
  const now = new Date(sim.now);
  const statusText =
    sim.status === 'running'
      ? `At step “${labelOf(doc, currentNodeId(sim))}”`
      : sim.status === 'stopped'
        ? 'Run stopped: the contact opted out'
        : 'Run ended';

  return (
    <section className="simulator" aria-label="Simulation">
      <div className="sim-head">
        <div>
          <p className="sim-clock" data-testid="sim-clock">
            {describeLocal(now, zones)} · {formatLocal(now, zones[0] ?? 'UTC').iso.slice(0, 10)}
          </p>
          <p className="sim-status" role="status" data-testid="sim-status">
            {statusText}
          </p>
        </div>
        <button type="button" className="btn btn-small" onClick={() => setRun(null)}>
          Reset
        </button>
      </div>
      {stale && <p className="panel-hint text-warn">The flow changed since this run started. Reset to simulate the new version.</p>}
      <div className="phone" aria-label="Phone">
        <ol className="phone-thread" aria-live="polite" data-testid="phone-thread">
          {sim.messages.length === 0 && <li className="phone-empty">No texts yet.</li>}
          {sim.messages.map((m, i) => (
            <li key={i} className={`bubble ${m.direction}`} data-testid={m.direction === 'out' ? 'sms-out' : 'sms-in'}>
              <span className="bubble-body">{m.body}</span>
              <span className="bubble-time">{formatClock(new Date(m.at), zones[0] ?? 'UTC')}</span>
            </li>
          ))}
          <li ref={phoneEnd} aria-hidden="true" />
        </ol>
        <form className="phone-compose" onSubmit={send}>
          <label htmlFor="sim-reply" className="visually-hidden">
            Reply as the contact
          </label>
          <input
            id="sim-reply"
            value={reply}
            onChange={(e) => setReply(e.target.value)}
            placeholder="Reply as the contact (try STOP)"
            autoComplete="off"
          />
          <button type="submit" className="btn btn-small" disabled={!reply.trim()}>
            Send
          </button>
        </form>
      </div>
      <div className="sim-actions">
        <button type="button" className="btn" disabled={!due} onClick={() => setRun({ ...run, sim: advanceToNextTimer(machine, sim) })}>
          {due ? `Advance to next timer (${when(new Date(due.due), now, zones[0] ?? 'UTC')})` : 'No timer pending'}
        </button>
        {sim.payment && sim.status === 'running' && (
          <>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setRun({ ...run, sim: simulatePayment(machine, sim, 'paid') })}
            >
              Pay {sim.payment.amount.toFixed(2)} {sim.payment.currency.toUpperCase()}
            </button>
            <button type="button" className="btn" onClick={() => setRun({ ...run, sim: simulatePayment(machine, sim, 'failed') })}>
              Fail payment
            </button>
          </>
        )}
      </div>
      {due && <p className="panel-hint">Next: {due.label}</p>}
      <details className="sim-log" open>
        <summary>Timeline</summary>
        <ol data-testid="sim-log">
          {sim.log.map((l, i) => (
            <li key={i}>
              <time>{formatClock(new Date(l.at), zones[0] ?? 'UTC')}</time> {l.text}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}

/** "10:00 CDT", or "Sat, Mar 14, 10:00 CDT" when the instant is on another local day than `now` (the virtual contact's zone). */
function when(at: Date, now: Date, zone: string): string {
  const time = formatClock(at, zone);
  if (formatLocal(at, zone).iso.slice(0, 10) === formatLocal(now, zone).iso.slice(0, 10)) return time;
  const day = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' }).format(at);
  return `${day}, ${time}`;
}

function labelOf(doc: { nodes: { id: string; label?: string }[] }, id: string): string {
  return doc.nodes.find((n) => n.id === id)?.label ?? id;
}
