'use client';

import { useState } from 'react';
import { callApi } from '@/components/ui/api';
import { confirmLeaving } from '@/components/ui/leave-guard';

/** Ends the session and goes to the sign-in page. */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="link-button"
      disabled={busy}
      onClick={async () => {
        // Unsaved work (an editor's draft) is asked about before the session ends, not after.
        if (!confirmLeaving()) return;
        setBusy(true);
        await callApi('/api/auth/sign-out', { method: 'POST', json: {} });
        window.location.assign('/sign-in');
      }}
    >
      Sign out
    </button>
  );
}
