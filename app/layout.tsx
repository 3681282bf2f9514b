import { connection } from 'next/server';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';

export const metadata = {
  title: 'Optline',
  description: 'Compliant SMS messaging flows',
};

/** Every page is rendered per request, even one with nothing dynamic (/pay/done, the 404): its scripts need that request's CSP nonce (proxy.ts). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
