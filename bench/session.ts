/**
 * A signed-in editor for the benchmarks that drive the app over HTTP: makes
 * the owner on a fresh app (with the TOTP second factor it requires), adds an
 * editor, and signs the editor in. Returns the editor's browser state.
 */
import { request } from '@playwright/test';
import { secretOfUri, totpCode } from '@/lib/auth/testing/totp';

const OWNER = { name: 'Bench Owner', email: 'owner@bench.test', password: 'quiet-harbor-lantern-71' };
const EDITOR = { name: 'Bench Editor', email: 'editor@bench.test', password: 'maple-orbit-cascade-93' };

type State = Awaited<ReturnType<Awaited<ReturnType<typeof request.newContext>>['storageState']>>;

export async function editorSession(baseURL: string): Promise<State> {
  const headers = { origin: baseURL };
  const owner = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  const must = async <R extends { ok(): boolean; status(): number; text(): Promise<string> }>(what: string, res: R): Promise<R> => {
    if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
    return res;
  };
  await must('create the owner', await owner.post('/api/setup', { data: { ...OWNER, businessName: 'Acme Dental' } }));
  await must('owner sign-in', await owner.post('/api/auth/sign-in/email', { data: { email: OWNER.email, password: OWNER.password } }));
  const enabled = (await (
    await must('enable two-factor', await owner.post('/api/auth/two-factor/enable', { data: { password: OWNER.password } }))
  ).json()) as { totpURI: string };
  await must(
    'verify the code',
    await owner.post('/api/auth/two-factor/verify-totp', { data: { code: totpCode(secretOfUri(enabled.totpURI), new Date()) } }),
  );
  await must('add the editor', await owner.post('/api/users', { data: { ...EDITOR, role: 'editor' } }));
  await owner.dispose();
  const editor = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  await must('editor sign-in', await editor.post('/api/auth/sign-in/email', { data: { email: EDITOR.email, password: EDITOR.password } }));
  const state = await editor.storageState();
  await editor.dispose();
  return state;
}
