import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LocalTime } from '@/components/ui/local-time';
import { paymentRepository } from '@/lib/db/payment-repository';
import { formatMinorUnits } from '@/lib/flow/money';
import { services } from '@/lib/runtime/services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Receipt', robots: { index: false } };

/** The receipt a paid payment's text links to. */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const payment = await paymentRepository((await services()).pool).get((await params).id);
  if (!payment || payment.status !== 'paid') notFound();
  return (
    <main className="page pay-page">
      <section className="card pay-card" aria-labelledby="receipt-title">
        <p className="meta">Receipt</p>
        <h1 id="receipt-title" className="pay-amount">
          {formatMinorUnits(payment.amountMinor, payment.currency)}
        </h1>
        <p>{payment.description}</p>
        <p className="meta">
          Paid {payment.paidAt && <LocalTime iso={payment.paidAt.toISOString()} />} · reference {payment.id.slice(0, 8)}
        </p>
      </section>
    </main>
  );
}
