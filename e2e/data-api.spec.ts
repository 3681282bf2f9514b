import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/lib/db/data-api-types';
import { expect, fromApp, test } from './helpers';

// The app as `npm start` runs it: PostgREST beside it, at /rest/v1 of the same server.
test('a signed-in person reads flows with supabase-js through /rest/v1 with a JWT from /api/data-token', async ({ page }, testInfo) => {
  const document = { ...JSON.parse(await readFile(path.resolve('e2e/fixtures/office-hours.flow.json'), 'utf8')), id: 'data-api-hours' };
  const imported = await page.request.post('/api/flows/import', { headers: fromApp(testInfo), data: { document } });
  expect(imported.status()).toBe(201);

  const issued = await page.request.post('/api/data-token', { headers: fromApp(testInfo) });
  expect(issued.status()).toBe(200);
  const { token, role, permissions } = (await issued.json()) as { token: string; role: string; permissions: string[] };
  expect(role).toBe('editor');
  expect(permissions).toContain('read');

  const baseURL = testInfo.project.use.baseURL!;
  const optline = createClient<Database, 'optline_api'>(baseURL, 'optline', {
    db: { schema: 'optline_api' },
    accessToken: async () => token,
  });
  const { data, error, status } = await optline.from('flows').select('id, name').eq('id', 'data-api-hours');
  expect(error).toBeNull();
  expect(status).toBe(200);
  expect(data).toEqual([{ id: 'data-api-hours', name: document.name }]);

  // No JWT: anon, granted nothing. A write: refused at the door, the Data API is read-only.
  const anon = await page.request.get('/rest/v1/flows', { headers: { 'accept-profile': 'optline_api' } });
  expect(anon.status()).toBe(401);
  expect(anon.headers()['x-content-type-options']).toBe('nosniff');
  const write = await page.request.post('/rest/v1/flows', {
    headers: { authorization: `Bearer ${token}`, 'content-profile': 'optline_api' },
    data: { id: 'sneaky', name: 'Sneaky' },
  });
  expect(write.status()).toBe(405);
});
