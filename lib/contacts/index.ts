// Contacts: creation with consent evidence, search, the contact's view, CSV import and the ledger's filters.
export { consentByPurpose, type ConsentByPurpose, type PurposeStatus } from './consent-status';
export {
  NAME_SCAN_LIMIT,
  PAGE_SIZE,
  searchContacts,
  searchKindOf,
  type ContactListItem,
  type ContactSearchResult,
  type SearchKind,
} from './contact-search';
export {
  decodeCursor,
  encodeCursor,
  eventView,
  loadContactDetail,
  searchResultView,
  summaryView,
  type ConsentEventView,
  type ContactDetail,
  type ContactDetailView,
  type ContactRunView,
  type ContactSummaryView,
} from './contact-view';
export { contactBody, createContact, type NewContactInput } from './create-contact';
export { CONSENT_CHANNELS, IMPORT_COLUMNS, validateContactsCsv, type ImportRow, type ImportValidation, type RowError } from './csv-import';
export { CSV_BOM, csvCell, csvLine } from './csv-write';
export {
  erasedRowErrors,
  IMPORT_BATCH,
  importContacts,
  type ImportProgress,
  type ImportRequest,
  type ImportSummary,
} from './import-contacts';
export { LEDGER_ACTIONS, LEDGER_PURPOSES, LEDGER_SOURCES, ledgerFilterOf, type LedgerQuery } from './ledger-filter';
