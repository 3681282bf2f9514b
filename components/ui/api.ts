/** An error as the API answers it: `{ error: { code, message, path?, details? } }`. */
export interface ApiError {
  code?: string;
  message: string;
  path?: string;
  details?: { path?: string; message: string }[];
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiError };

/** Calls the JSON API from the browser; never throws (a network failure is an error value with status 0). */
export async function callApi<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<ApiResult<T>> {
  try {
    const { json, ...rest } = init ?? {};
    const res = await fetch(url, {
      ...rest,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      headers: { 'content-type': 'application/json', ...rest.headers },
    });
    if (res.status === 204) return { ok: true, status: 204, body: undefined as T };
    const body = (await res.json().catch(() => null)) as (T & { error?: ApiError; message?: string }) | null;
    if (!res.ok)
      return { ok: false, status: res.status, error: body?.error ?? { message: body?.message ?? `the server answered ${res.status}` } };
    return { ok: true, status: res.status, body: body as T };
  } catch {
    return { ok: false, status: 0, error: { message: 'the server could not be reached' } };
  }
}

/** Field errors of an API error, keyed by their path. */
export function fieldErrors(error: ApiError | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of error?.details ?? (error?.path ? [{ path: error.path, message: error.message }] : [])) {
    (out[d.path ?? ''] ??= []).push(d.message);
  }
  return out;
}
