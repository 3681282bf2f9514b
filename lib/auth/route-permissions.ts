import type { Permission } from '@/lib/access/roles';

/**
 * Every API route and method with what it asks of the caller: a permission
 * (checked on the server by the handler), `signed-in` (any role), `public`
 * (first-start set-up and better-auth's own endpoints) or `signature` (a
 * provider's webhook, checked by its signature instead of a session). The
 * end-to-end matrix (e2e/permissions.spec.ts) calls each one as every role,
 * as an API token and as nobody, and fails on a route missing here.
 */
export type RouteRule = Permission | 'signed-in' | 'public' | 'signature';

export const ROUTE_PERMISSIONS: Record<string, RouteRule> = {
  'GET /api/audit': 'audit.export',
  'GET /api/audit/export': 'audit.export',
  'GET /api/consent': 'read',
  'GET /api/consent/export.csv': 'audit.export',
  'GET /api/contacts': 'read',
  'POST /api/contacts': 'contacts.write',
  'GET /api/contacts/[id]': 'read',
  'POST /api/contacts/import': 'contacts.write',
  'GET /api/contacts/imports': 'read',
  'POST /api/contacts/tags': 'contacts.write',
  'GET /api/dashboard/funnel': 'read',
  'POST /api/events': 'runs.write',
  'GET /api/flows': 'read',
  'POST /api/flows': 'flows.edit',
  'GET /api/flows/[id]': 'read',
  'PUT /api/flows/[id]': 'flows.edit',
  'PATCH /api/flows/[id]': 'flows.edit',
  'DELETE /api/flows/[id]': 'flows.edit',
  'POST /api/flows/[id]/duplicate': 'flows.edit',
  'GET /api/flows/[id]/export': 'flows.transfer',
  'GET /api/flows/[id]/versions': 'read',
  'POST /api/flows/[id]/versions': 'flows.edit',
  'POST /api/flows/import': 'flows.transfer',
  'GET /api/me': 'signed-in',
  'GET /api/runs': 'read',
  'POST /api/runs': 'runs.write',
  'GET /api/runs/[id]': 'read',
  'POST /api/runs/[id]/cancel': 'runs.write',
  'GET /api/runs/[id]/timeline': 'read',
  'POST /api/sandbox/inbound': 'runs.write',
  'GET /api/sandbox/messages': 'read',
  'GET /api/segments': 'read',
  'POST /api/segments': 'contacts.write',
  'GET /api/segments/[id]': 'read',
  'PUT /api/segments/[id]': 'contacts.write',
  'POST /api/segments/preview': 'read',
  'GET /api/settings': 'read',
  'PATCH /api/settings': 'settings.edit',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'GET /api/tokens': 'tokens.manage',
  'POST /api/tokens': 'tokens.manage',
  'DELETE /api/tokens/[id]': 'tokens.manage',
  'GET /api/users': 'users.manage',
  'POST /api/users': 'users.manage',
  'PATCH /api/users/[id]': 'users.manage',
  'GET /api/versions/[versionId]': 'read',
  'POST /api/versions/[versionId]/review': 'reviews.decide',
  'POST /api/versions/[versionId]/activate': 'flows.activate',
  'POST /api/versions/[versionId]/pause': 'flows.activate',
  'POST /api/webhooks/stripe': 'signature',
  'POST /api/webhooks/twilio/inbound': 'signature',
  'POST /api/webhooks/twilio/status': 'signature',
};
