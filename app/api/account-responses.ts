import { z } from 'zod';
import { isoTime } from '@/lib/http/openapi';
import { PERMISSIONS, ROLES, TOKEN_SCOPES } from '@/lib/access/roles';

/** The answers of the account, people, token and settings handlers, as the OpenAPI document describes them. */

/** A person as the API shows them (no password, no secrets). */
export const publicUserBody = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  twoFactorEnabled: z.boolean(),
  createdAt: isoTime,
});

/** An API token as the API shows it: its prefix, never its secret. */
export const publicTokenBody = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  prefix: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullable(),
  revokedAt: isoTime.nullable(),
});

export const setupStatusBody = z.object({ needsOwner: z.boolean() });
export const userBody = z.object({ user: publicUserBody });
export const usersBody = z.object({ users: z.array(publicUserBody) });
export const meBody = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), via: z.enum(['session', 'token']) }),
  permissions: z.array(z.enum(PERMISSIONS)),
  mustEnrolTwoFactor: z.boolean(),
  twoFactorRequired: z.boolean(),
});
export const tokensBody = z.object({ tokens: z.array(publicTokenBody) });
export const tokenBody = z.object({ token: publicTokenBody });
export const newTokenResult = z.object({
  token: publicTokenBody,
  secret: z.string().meta({ description: 'The token itself (`optl_…`): shown in this answer only.', examples: ['optl_3fQ…'] }),
});

/** The settings as the API shows them. */
export const settingsView = z.object({
  settings: z.object({
    brand: z.string(),
    helpText: z.string(),
    stopConfirmationText: z.string(),
    startConfirmationText: z.string(),
    pausedMarketingStates: z.array(z.string()),
    updatedAt: isoTime,
  }),
});

/** A page of the audit log. */
export const auditEntries = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: isoTime,
      actor: z.string().meta({ description: 'A user id (with the token when one was used), or `system`.' }),
      action: z.string().meta({ description: 'What happened, as `subject.verb`: `flow.saved`, `version.approved`, `token.used`, …' }),
      subjectType: z.string(),
      subjectId: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
