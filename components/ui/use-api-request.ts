import { useCallback, useState } from 'react';
import { callApi, type ApiError } from './api';

/**
 * Calls the JSON API and keeps what a component shows about it: whether a call
 * is under way and the last call's error (cleared by the next success).
 * `request` answers the body, or undefined when the call failed.
 */
export function useApiRequest({ loading: initiallyLoading = false } = {}) {
  const [loading, setLoading] = useState(initiallyLoading);
  const [error, setError] = useState<ApiError | null>(null);
  const request = useCallback(async <T>(url: string, init?: Parameters<typeof callApi>[1]): Promise<T | undefined> => {
    setLoading(true);
    const res = await callApi<T>(url, init);
    setLoading(false);
    setError(res.ok ? null : res.error);
    return res.ok ? res.body : undefined;
  }, []);
  return { loading, error, setError, request };
}
