'use client';

import { ApiReferenceReact } from '@scalar/api-reference-react';
import '@scalar/api-reference-react/style.css';

/**
 * Scalar's API reference over the document at /api/openapi.json. Nothing
 * leaves the page: no web fonts (font-src 'self'), no telemetry, no proxy
 * for "try it" (requests go to this Optline with the visitor's session), no
 * developer tools.
 */
export function ApiReference() {
  return (
    <div data-testid="api-reference">
      <ApiReferenceReact
        configuration={{
          url: '/api/openapi.json',
          withDefaultFonts: false,
          telemetry: false,
          showDeveloperTools: 'never',
          hideClientButton: false,
        }}
      />
    </div>
  );
}
