import type pg from 'pg';
import type { ContactKeys } from '@/lib/db/contact-repository';
import { messageRepository } from '@/lib/db/message-repository';
import { paymentRepository, type PaymentRow } from '@/lib/db/payment-repository';
import { runQueries } from '@/lib/db/run-queries';
import { runRepository, type RunRow } from '@/lib/db/run-repository';
import { nodeIdOfState } from '@/lib/flow/machine-events';
import { AppError } from '@/lib/app-error';

/** A run as GET /api/runs/:id shows it: its state, its timeline (events in, texts out) and its payment links with their card checks (never a token or card data). */
export interface RunView {
  run: {
    id: string;
    status: RunRow['status'];
    flowId: string;
    version: number;
    flowVersionId: string;
    contactId: string;
    node: string | null;
    stopReason: string | null;
    startedAt: string;
    endedAt: string | null;
  };
  timeline: (
    | { at: string; kind: 'event'; source: string; event: string | null; outcome: string }
    | { at: string; kind: 'message'; direction: string; body: string; status: string; error?: string }
  )[];
  payments: (Pick<PaymentRow, 'id' | 'status' | 'amountMinor' | 'currency' | 'description' | 'failureReason' | 'cardChecks'> & {
    createdAt: string;
    expiresAt: string;
    paidAt: string | null;
  })[];
}

/** A run's view; a not_found AppError when there is no such run. */
export async function runView(pool: pg.Pool, keys: ContactKeys, id: string): Promise<RunView> {
  const run = await runRepository(pool).getRun(id);
  if (!run) throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
  const queries = runQueries(pool, keys);
  const [header, events, messages, payments] = await Promise.all([
    queries.runDetail(id),
    queries.events(id),
    messageRepository(pool).listForRun(id),
    paymentRepository(pool).ofRun(id),
  ]);
  const timeline: RunView['timeline'] = [
    ...events.map((e) => ({
      at: e.receivedAt.toISOString(),
      kind: 'event' as const,
      source: e.kind,
      event: e.event.type ?? null,
      outcome: e.outcome ?? 'pending',
    })),
    ...messages.map((m) => ({
      at: m.createdAt.toISOString(),
      kind: 'message' as const,
      direction: m.direction,
      body: m.body,
      status: m.status,
      ...(m.error ? { error: m.error } : {}),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const snapshot = run.snapshot as { value?: unknown };
  return {
    run: {
      id: run.id,
      status: run.status,
      flowId: header!.flowId,
      version: header!.version,
      flowVersionId: run.flowVersionId,
      contactId: run.contactId,
      node: run.status === 'active' && snapshot.value !== undefined ? nodeIdOfState(snapshot.value as never) : null,
      stopReason: header!.stopReason,
      startedAt: header!.startedAt.toISOString(),
      endedAt: header!.endedAt ? header!.endedAt.toISOString() : null,
    },
    timeline,
    payments: payments.map((p) => ({
      id: p.id,
      status: p.status,
      amountMinor: p.amountMinor,
      currency: p.currency,
      description: p.description,
      createdAt: p.createdAt.toISOString(),
      expiresAt: p.expiresAt.toISOString(),
      paidAt: p.paidAt?.toISOString() ?? null,
      failureReason: p.failureReason,
      cardChecks: p.cardChecks,
    })),
  };
}
