import type { Metadata } from 'next';
import { ApiReference } from '@/components/developers/api-reference';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageActor } from '@/lib/auth/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API reference · Optline' };

/**
 * The REST API's reference, rendered in the browser from GET
 * /api/openapi.json (public; the page reads no data of ours). Its
 * `<style>` elements need no nonce: lib/http/security-headers.ts,
 * INLINE_STYLE_PATHS, and app/(developers)/layout.tsx for why every link
 * in and out loads a new document.
 */
export default async function ApiReferencePage() {
  await requirePageActor();
  return (
    <main className="page">
      <PageHeader
        title="API reference"
        lede={
          <>
            Every operation of Optline&apos;s REST API with the permission it needs, its request and its answers. Call it with an API token
            from your account (<code>Authorization: Bearer optl_…</code>). The document itself:{' '}
            <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
          </>
        }
      />
      <ApiReference />
    </main>
  );
}
