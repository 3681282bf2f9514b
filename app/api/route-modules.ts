import * as auditExport from '@/app/api/audit/export/route';
import * as audit from '@/app/api/audit/route';
import * as campaignsIdBlockedCsv from '@/app/api/campaigns/[id]/blocked.csv/route';
import * as campaignsIdCancel from '@/app/api/campaigns/[id]/cancel/route';
import * as campaignsIdLaunch from '@/app/api/campaigns/[id]/launch/route';
import * as campaignsIdPause from '@/app/api/campaigns/[id]/pause/route';
import * as campaignsIdPreview from '@/app/api/campaigns/[id]/preview/route';
import * as campaignsIdResume from '@/app/api/campaigns/[id]/resume/route';
import * as campaignsId from '@/app/api/campaigns/[id]/route';
import * as campaigns from '@/app/api/campaigns/route';
import * as consentExportCsv from '@/app/api/consent/export.csv/route';
import * as consent from '@/app/api/consent/route';
import * as contactsId from '@/app/api/contacts/[id]/route';
import * as contactsImport from '@/app/api/contacts/import/route';
import * as contactsImports from '@/app/api/contacts/imports/route';
import * as contacts from '@/app/api/contacts/route';
import * as contactsTags from '@/app/api/contacts/tags/route';
import * as dashboardFunnel from '@/app/api/dashboard/funnel/route';
import * as dataToken from '@/app/api/data-token/route';
import * as events from '@/app/api/events/route';
import * as flowsIdDuplicate from '@/app/api/flows/[id]/duplicate/route';
import * as flowsIdExport from '@/app/api/flows/[id]/export/route';
import * as flowsId from '@/app/api/flows/[id]/route';
import * as flowsIdVersions from '@/app/api/flows/[id]/versions/route';
import * as flowsImport from '@/app/api/flows/import/route';
import * as flows from '@/app/api/flows/route';
import * as me from '@/app/api/me/route';
import * as runsIdCancel from '@/app/api/runs/[id]/cancel/route';
import * as runsId from '@/app/api/runs/[id]/route';
import * as runsIdTimeline from '@/app/api/runs/[id]/timeline/route';
import * as runs from '@/app/api/runs/route';
import * as sandboxClock from '@/app/api/sandbox/clock/route';
import * as sandboxInbound from '@/app/api/sandbox/inbound/route';
import * as sandboxMessages from '@/app/api/sandbox/messages/route';
import * as segmentsId from '@/app/api/segments/[id]/route';
import * as segmentsPreview from '@/app/api/segments/preview/route';
import * as segments from '@/app/api/segments/route';
import * as settings from '@/app/api/settings/route';
import * as setup from '@/app/api/setup/route';
import * as tokensId from '@/app/api/tokens/[id]/route';
import * as tokens from '@/app/api/tokens/route';
import * as usersId from '@/app/api/users/[id]/route';
import * as users from '@/app/api/users/route';
import * as versionsVersionidActivate from '@/app/api/versions/[versionId]/activate/route';
import * as versionsVersionidPause from '@/app/api/versions/[versionId]/pause/route';
import * as versionsVersionidReview from '@/app/api/versions/[versionId]/review/route';
import * as versionsVersionid from '@/app/api/versions/[versionId]/route';
import * as webhookEndpointsIdDeliveriesDeliveryidRedeliver from '@/app/api/webhook-endpoints/[id]/deliveries/[deliveryId]/redeliver/route';
import * as webhookEndpointsIdDeliveries from '@/app/api/webhook-endpoints/[id]/deliveries/route';
import * as webhookEndpointsIdRotateSecret from '@/app/api/webhook-endpoints/[id]/rotate-secret/route';
import * as webhookEndpointsId from '@/app/api/webhook-endpoints/[id]/route';
import * as webhookEndpoints from '@/app/api/webhook-endpoints/route';
import * as webhooksStripe from '@/app/api/webhooks/stripe/route';
import * as webhooksTwilioInbound from '@/app/api/webhooks/twilio/inbound/route';
import * as webhooksTwilioStatus from '@/app/api/webhooks/twilio/status/route';

/**
 * Every route module of the API by its path, as Next.js names it: what the
 * OpenAPI document is built from (app/api/openapi-document.ts). Next.js
 * cannot list its own routes at run time, so they are listed here;
 * app/api/openapi.test.ts fails when a route file is missing from this list
 * or from lib/auth/route-permissions.ts. The document's own route
 * (/api/openapi.json) adds itself, and better-auth's endpoints
 * (/api/auth/[...all]) are not part of the API.
 */
export const ROUTE_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '/api/audit': audit,
  '/api/audit/export': auditExport,
  '/api/campaigns': campaigns,
  '/api/campaigns/[id]': campaignsId,
  '/api/campaigns/[id]/blocked.csv': campaignsIdBlockedCsv,
  '/api/campaigns/[id]/cancel': campaignsIdCancel,
  '/api/campaigns/[id]/launch': campaignsIdLaunch,
  '/api/campaigns/[id]/pause': campaignsIdPause,
  '/api/campaigns/[id]/preview': campaignsIdPreview,
  '/api/campaigns/[id]/resume': campaignsIdResume,
  '/api/consent': consent,
  '/api/consent/export.csv': consentExportCsv,
  '/api/contacts': contacts,
  '/api/contacts/[id]': contactsId,
  '/api/contacts/import': contactsImport,
  '/api/contacts/imports': contactsImports,
  '/api/contacts/tags': contactsTags,
  '/api/dashboard/funnel': dashboardFunnel,
  '/api/data-token': dataToken,
  '/api/events': events,
  '/api/flows': flows,
  '/api/flows/[id]': flowsId,
  '/api/flows/[id]/duplicate': flowsIdDuplicate,
  '/api/flows/[id]/export': flowsIdExport,
  '/api/flows/[id]/versions': flowsIdVersions,
  '/api/flows/import': flowsImport,
  '/api/me': me,
  '/api/runs': runs,
  '/api/runs/[id]': runsId,
  '/api/runs/[id]/cancel': runsIdCancel,
  '/api/runs/[id]/timeline': runsIdTimeline,
  '/api/sandbox/clock': sandboxClock,
  '/api/sandbox/inbound': sandboxInbound,
  '/api/sandbox/messages': sandboxMessages,
  '/api/segments': segments,
  '/api/segments/[id]': segmentsId,
  '/api/segments/preview': segmentsPreview,
  '/api/settings': settings,
  '/api/setup': setup,
  '/api/tokens': tokens,
  '/api/tokens/[id]': tokensId,
  '/api/users': users,
  '/api/users/[id]': usersId,
  '/api/versions/[versionId]': versionsVersionid,
  '/api/versions/[versionId]/activate': versionsVersionidActivate,
  '/api/versions/[versionId]/pause': versionsVersionidPause,
  '/api/versions/[versionId]/review': versionsVersionidReview,
  '/api/webhook-endpoints': webhookEndpoints,
  '/api/webhook-endpoints/[id]': webhookEndpointsId,
  '/api/webhook-endpoints/[id]/deliveries': webhookEndpointsIdDeliveries,
  '/api/webhook-endpoints/[id]/deliveries/[deliveryId]/redeliver': webhookEndpointsIdDeliveriesDeliveryidRedeliver,
  '/api/webhook-endpoints/[id]/rotate-secret': webhookEndpointsIdRotateSecret,
  '/api/webhooks/stripe': webhooksStripe,
  '/api/webhooks/twilio/inbound': webhooksTwilioInbound,
  '/api/webhooks/twilio/status': webhooksTwilioStatus,
};
