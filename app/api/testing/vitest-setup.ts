import { checkResponsesWith } from '@/lib/http/endpoint';

// Every answer of every handler made by the route wrapper, in every test, is
// checked against the OpenAPI document (loaded on the first answer only).
checkResponsesWith(async (spec, response) => (await import('./openapi-check')).checkResponse(spec, response));
