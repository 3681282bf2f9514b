import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, ERROR_STATUS } from './app-error';
import { readBody, route } from './route';

const post = (body: string) => new Request('http://test/x', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('route', () => {
  it('answers an AppError with its status and JSON body', async () => {
    const handler = route(async () => {
      throw new AppError('not_found', 'there is no flow "x"', { path: 'id' });
    });
    const res = await handler();
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'there is no flow "x"', path: 'id' } });
  });

  it('answers an unexpected error with a 500 that leaks nothing, and logs the cause', async () => {
    const log = vi.fn();
    const handler = route(async () => {
      throw new Error('connection refused at 10.0.0.3:5432');
    }, { log });
    const res = await handler();
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('10.0.0.3');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(log).toHaveBeenCalledOnce();
  });

  it('maps every error code to a status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});

describe('readBody', () => {
  const schema = z.strictObject({ name: z.string().min(1, { error: 'name the flow' }) });

  it('returns the validated body', async () => {
    expect(await readBody(post('{"name":"A"}'), schema)).toEqual({ name: 'A' });
  });

  it('refuses malformed JSON with a 400', async () => {
    const err = await readBody(post('{nope'), schema).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).code).toBe('invalid_json');
  });

  it('names the path of every invalid field', async () => {
    const err = (await readBody(post('{"name":"","x":1}'), schema).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('validation_failed');
    expect(err.toJSON().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'name', message: 'name the flow' })]),
    );
  });
});
