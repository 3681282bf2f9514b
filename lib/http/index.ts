// The HTTP edge: the route wrapper, webhook handling, origin checks, security headers. Server only.
export { BODY_LIMITS, endpoints, formBody, idParams, jsonBody, rawBody, textBody, versionIdParams } from './endpoint';
export {
  EMPTY_TWIML,
  MAX_FORM_BYTES,
  receiveInboundWebhook,
  receiveStatusWebhook,
  SIGNATURE_HEADER,
  TWIML_CONTENT_TYPE,
  webhookRequest,
} from './messaging-webhooks';
export { trustedOrigins } from './origin';
export { json, parseWith } from './route';
export { NOSNIFF, securityHeaders } from './security-headers';
export { csvDownload, ndjsonResponse } from './stream';
