'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { KeywordTexts } from '@/lib/runtime/interpret/replies';

/** What the simulator takes from Settings, so it answers and holds as the runtime would. */
export interface BusinessSettings {
  keywordTexts: KeywordTexts;
  pausedMarketingStates: string[];
}

const BusinessSettingsContext = createContext<BusinessSettings | null>(null);

/** Hands the business's Settings (read by the page, with the reader's permission checked) to the editor's simulator. */
export function BusinessSettingsProvider({ value, children }: { value: BusinessSettings; children: ReactNode }) {
  return <BusinessSettingsContext.Provider value={value}>{children}</BusinessSettingsContext.Provider>;
}

/** The business's Settings, or null outside a page that read them (the simulator then uses the defaults under the flow's brand). */
export function useBusinessSettings(): BusinessSettings | null {
  return useContext(BusinessSettingsContext);
}
