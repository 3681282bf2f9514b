'use client';

import { ApiReferenceReact } from '@scalar/api-reference-react';
import '@scalar/api-reference-react/style.css';
import { useEffect, useState } from 'react';

/** Whether this document was loaded at this path (not reached by a client-side navigation, which keeps the policy of the page before). */
function loadedHere(): boolean {
  const entry = performance.getEntriesByType('navigation')[0];
  return entry !== undefined && new URL(entry.name).pathname === window.location.pathname;
}

/**
 * Scalar's API reference over the document at /api/openapi.json. Nothing
 * leaves the page: no web fonts (font-src 'self'), no telemetry, no proxy
 * for "try it" (requests go to this Optline with the visitor's session), no
 * developer tools. Reached by a client-side navigation, it loads the page
 * anew first: its `<style>` elements need this page's policy
 * (app/(developers)/layout.tsx).
 */
export function ApiReference() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (loadedHere()) setReady(true);
    else window.location.reload();
  }, []);
  return (
    <div data-testid="api-reference">
      {ready ? (
        <ApiReferenceReact
          configuration={{
            url: '/api/openapi.json',
            withDefaultFonts: false,
            telemetry: false,
            showDeveloperTools: 'never',
          }}
        />
      ) : (
        <p>Loading the reference…</p>
      )}
    </div>
  );
}
