import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Thank you', robots: { index: false } };

/** Where the hosted checkout page returns the contact. */
export default function PayDonePage() {
  return (
    <main className="page pay-page">
      <section className="card pay-card">
        <h1 className="pay-amount">Thank you</h1>
        <p>You can close this page. If your payment went through, a receipt is on its way by text.</p>
      </section>
    </main>
  );
}
