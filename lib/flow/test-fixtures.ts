import type { FlowDocument } from './schema';
import payByText from '@/workflows/pay-by-text.json';

/** A deep copy of the pay-by-text template as a plain value, for tests that mutate a document. */
export function payByTextDocument(): FlowDocument {
  return structuredClone(payByText) as FlowDocument;
}
