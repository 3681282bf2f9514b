import { openApiHandler } from '@/app/api/openapi-document';

export const dynamic = 'force-dynamic';

/** GET: the OpenAPI 3.1 document of the API (public: it holds the API's shape, no data). */
export const GET = openApiHandler;
