// Server only: reads the audit log, settings, people and one's own account for the pages (the 'server-only' package is not installed here).
import { requirePermission, type Actor } from '@/lib/access/roles';
import { apiTokenRepository, type ApiToken } from '@/lib/db/api-token-repository';
import { listAudit, type AuditEntry } from '@/lib/db/audit-repository';
import { settingsRepository, type Settings } from '@/lib/db/settings-repository';
import { userRepository, type User } from '@/lib/db/user-repository';
import { processData, type DataSource } from './source';

const AUDIT_PAGE = 100;

/** The newest audit entries and everyone they may name, for an actor who may export the audit log (checked before any query). */
export async function auditLogPage(
  actor: Actor | null,
  source: DataSource = processData,
): Promise<{ entries: AuditEntry[]; users: User[] }> {
  requirePermission(actor, 'audit.export');
  const pool = await source.pool();
  const [entries, users] = await Promise.all([listAudit(pool, { limit: AUDIT_PAGE }), userRepository(pool).list()]);
  return { entries, users };
}

/** The brand and keyword replies, for an actor who may read (checked before any query). */
export async function keywordSettings(actor: Actor | null, source: DataSource = processData): Promise<Settings> {
  requirePermission(actor, 'read');
  return settingsRepository(await source.pool()).get();
}

/** Everyone who has an account, for an actor who manages people (checked before any query). */
export async function userList(actor: Actor | null, source: DataSource = processData): Promise<User[]> {
  requirePermission(actor, 'users.manage');
  return userRepository(await source.pool()).list();
}

/** The signed-in actor's own account ('read' is held by every role: this asks for a signed-in actor past two-factor enrolment). */
export async function ownAccount(actor: Actor | null, source: DataSource = processData): Promise<User | null> {
  const me = requirePermission(actor, 'read');
  return userRepository(await source.pool()).get(me.userId);
}

/** The signed-in actor's own API tokens, for an actor who may manage tokens (checked before any query). */
export async function ownTokens(actor: Actor | null, source: DataSource = processData): Promise<ApiToken[]> {
  const me = requirePermission(actor, 'tokens.manage');
  return apiTokenRepository(await source.pool()).listForUser(me.userId);
}
