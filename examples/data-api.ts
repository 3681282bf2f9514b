/**
 * Reading Optline's data with supabase-js: the runs of a flow and their texts.
 *
 *   OPTLINE_URL=http://localhost:3000 OPTLINE_TOKEN=optl_… npx tsx examples/data-api.ts [flow-id]
 *
 * The API token (Account → API tokens, with the `read` scope) is exchanged
 * for a Data API JWT of ten minutes at POST /api/data-token; supabase-js asks
 * again whenever it needs one. The database decides what the JWT may read
 * (row level security), and phone numbers come masked. On a Supabase project,
 * point `dataApiUrl` at the project (https://<ref>.supabase.co) and use its
 * anon key as `apiKey` (README, "For developers").
 */
import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/lib/db/data-api-types';

const optlineUrl = process.env.OPTLINE_URL ?? 'http://localhost:3000';
const apiToken = process.env.OPTLINE_TOKEN;
const dataApiUrl = process.env.DATA_API_URL ?? optlineUrl;
const apiKey = process.env.DATA_API_KEY ?? 'optline';
if (!apiToken) throw new Error('set OPTLINE_TOKEN to an Optline API token with the read scope');

let cached: { token: string; expiresAt: number } | undefined;

/** A Data API JWT, renewed a minute before it expires. */
async function dataToken(): Promise<string> {
  if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  const res = await fetch(`${optlineUrl}/api/data-token`, { method: 'POST', headers: { authorization: `Bearer ${apiToken}` } });
  if (!res.ok) throw new Error(`POST /api/data-token: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; expiresAt: string };
  cached = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
  return body.token;
}

const optline = createClient<Database, 'optline_api'>(dataApiUrl, apiKey, {
  db: { schema: 'optline_api' },
  accessToken: dataToken,
});

const flowId = process.argv[2];
let query = optline
  .from('runs')
  .select('id, flow_id, status, contact_phone, created_at')
  .order('created_at', { ascending: false })
  .limit(20);
if (flowId) query = query.eq('flow_id', flowId);
const { data: runs, error } = await query;
if (error) throw new Error(`runs: ${error.message}`);

for (const run of runs) {
  console.log(`${run.created_at}  ${run.flow_id}  ${run.status}  ${run.contact_phone ?? '(erased)'}`);
  const { data: texts, error: textsError } = await optline
    .from('messages')
    .select('direction, body, status, created_at')
    .eq('run_id', run.id!)
    .order('created_at');
  if (textsError) throw new Error(`messages of run ${run.id}: ${textsError.message}`);
  for (const text of texts) console.log(`    ${text.direction === 'inbound' ? '←' : '→'} ${text.status}: ${text.body}`);
}
