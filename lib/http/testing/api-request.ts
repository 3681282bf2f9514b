/** The origin handler tests send writes from: PUBLIC_URL's default, which the route wrapper trusts in tests. */
export const TEST_ORIGIN = 'http://localhost:3000';

/**
 * A request as the console sends it: from Optline's own origin, a body
 * (an object is sent as JSON) typed `application/json` unless the headers
 * say otherwise.
 */
export function apiRequest(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Request {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  return new Request(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { origin: TEST_ORIGIN, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(body === undefined ? {} : { body }),
  });
}
