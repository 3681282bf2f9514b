// The audit log: its export.
export { exportAuditCsv } from './audit-export';
