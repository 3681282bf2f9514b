import { z } from 'zod';
import { accounts, newUserBody, publicUser, roleBody } from '@/lib/auth/accounts';
import { apiTokens, newTokenBody, publicToken } from '@/lib/auth/api-tokens';
import { authServices } from '@/lib/auth/request-actor';
import { ROLE_PERMISSIONS, ROLES, ROLES_REQUIRING_2FA, type Authenticate } from '@/lib/access/roles';
import type { Auth } from '@/lib/auth/auth';
import { AppError } from '@/lib/app-error';
import { brandField, setBrandAtSetup } from '@/lib/settings/settings-service';
import { endpoints, errorAnswer, idParams, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { meBody, newTokenResult, setupStatusBody, tokenBody, tokensBody, userBody, usersBody } from './account-responses';
import { json } from '@/lib/http/route';
import type pg from 'pg';

export interface AccountDeps {
  auth: Auth;
  pool: pg.Pool;
  authenticate: Authenticate;
}

const setupBody = newUserBody.extend({ businessName: brandField });
const newUserWithRole = newUserBody.extend({ role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }) });
const userChange = z.union([roleBody, z.strictObject({ disabled: z.boolean({ error: 'must be true or false' }) })], {
  error: 'send { "role": "…" } or { "disabled": true|false }',
});

/** First-start set-up, who am I, people (owner/admin) and API tokens (one's own). */
export function accountHandlers(get: () => Promise<AccountDeps> = authServices) {
  const withDeps = async () => {
    const d = await get();
    return { ...d, people: accounts(d), tokens: apiTokens(d.pool) };
  };
  const endpoint = endpoints({ authenticate: async (request) => (await get()).authenticate(request) });

  return {
    /** GET: whether the owner account is still to be created. */
    setupStatus: endpoint(
      {
        access: 'public',
        doc: {
          id: 'getSetupStatus',
          summary: 'Whether first-start set-up is due',
          responses: { 200: jsonResponse('Whether the owner account is still to be created.', setupStatusBody, { needsOwner: false }) },
        },
      },
      async () => json({ needsOwner: await (await withDeps()).people.needsOwner() }),
    ),

    /** POST `{ name, email, password, businessName }`: the owner account and the business's name, once, on first start. The browser then signs in. */
    setup: endpoint(
      {
        access: 'public',
        body: jsonBody(setupBody),
        doc: {
          id: 'setUp',
          summary: 'Create the owner account (first start)',
          description: "The owner account and the business's name, once: only while no account exists. The browser then signs in.",
          example: { name: 'Ada Owner', email: 'ada@example.com', password: 'a long pass phrase', businessName: 'Acme Dental' },
          responses: { 201: jsonResponse('The owner.', userBody), 409: errorAnswer('An account exists already.') },
        },
      },
      async ({ body, request }) => {
        const { businessName, ...owner } = body;
        const deps = await withDeps();
        const user = await deps.people.createOwner(owner, { origin: request.headers.get('origin') });
        await setBrandAtSetup(deps.pool, user.id, businessName);
        return json({ user: publicUser(user) }, { status: 201 });
      },
    ),

    /** GET: who is signed in, with their permissions (the console hides what they cannot do; the server refuses it anyway). */
    me: endpoint(
      {
        access: 'signed-in',
        doc: {
          id: 'getMe',
          summary: 'Who is calling',
          description: 'The caller, their role and permissions (the console hides what they cannot do; the server refuses it anyway).',
          responses: {
            200: jsonResponse('The caller.', meBody, {
              user: { id: 'Xq2v9…', email: 'dev@example.com', name: 'Dana Developer', role: 'developer', via: 'token' },
              permissions: ['read', 'flows.transfer', 'contacts.write', 'runs.write'],
              mustEnrolTwoFactor: false,
              twoFactorRequired: false,
            }),
          },
        },
      },
      async ({ actor }) => {
        return json({
          user: { id: actor.userId, email: actor.email, name: actor.name, role: actor.role, via: actor.via },
          permissions: actor.mustEnrolTwoFactor ? [] : ROLE_PERMISSIONS[actor.role],
          mustEnrolTwoFactor: actor.mustEnrolTwoFactor === true,
          twoFactorRequired: ROLES_REQUIRING_2FA.includes(actor.role),
        });
      },
    ),

    listUsers: endpoint(
      {
        access: 'users.manage',
        doc: {
          id: 'listUsers',
          summary: 'List the people',
          description: 'Everyone who can sign in.',
          responses: { 200: jsonResponse('The people.', usersBody) },
        },
      },
      async () => json({ users: (await (await withDeps()).people.users.list()).map(publicUser) }),
    ),

    /** POST `{ name, email, password, role }`: adds a person with a first password (they sign in and set up two-factor if their role needs it). */
    createUser: endpoint(
      {
        access: 'users.manage',
        body: jsonBody(newUserWithRole),
        doc: {
          id: 'createUser',
          summary: 'Add a person',
          description: 'With a first password; they sign in and set up two-factor if their role needs it.',
          example: { name: 'Rhea Reviewer', email: 'rhea@example.com', password: 'a long pass phrase', role: 'reviewer' },
          responses: { 201: jsonResponse('The person.', userBody), 409: errorAnswer('Someone has this email already.') },
        },
      },
      async ({ actor, body }) => {
        const user = await (await withDeps()).people.createUser(actor, body);
        return json({ user: publicUser(user) }, { status: 201 });
      },
    ),

    /** PATCH `{ role }` or `{ disabled }`. */
    updateUser: endpoint(
      {
        access: 'users.manage',
        params: idParams,
        body: jsonBody(userChange),
        doc: {
          id: 'updateUser',
          summary: 'Change a role, or disable a person',
          example: { role: 'editor' },
          responses: { 200: jsonResponse('The person.', userBody), 404: errorAnswer('There is no such person.') },
        },
      },
      async ({ actor, params: { id }, body: change }) => {
        const { people } = await withDeps();
        const user = 'role' in change ? await people.setRole(actor, id, change.role) : await people.setDisabled(actor, id, change.disabled);
        return json({ user: publicUser(user) });
      },
    ),

    listTokens: endpoint(
      {
        access: 'tokens.manage',
        doc: {
          id: 'listTokens',
          summary: 'List your API tokens',
          description: 'Your tokens, never their secrets.',
          responses: { 200: jsonResponse('Your tokens.', tokensBody) },
        },
      },
      async ({ actor }) => json({ tokens: (await (await withDeps()).tokens.list(actor)).map(publicToken) }),
    ),

    /** POST `{ name, scopes }`: a new token; its secret is in this answer only. */
    createToken: endpoint(
      {
        access: 'tokens.manage',
        body: jsonBody(newTokenBody),
        doc: {
          id: 'createToken',
          summary: 'Create an API token',
          description: 'Its secret is in this answer only. A token cannot create tokens: sign in to the console.',
          example: { name: 'Billing system', scopes: ['read', 'runs.write'] },
          responses: { 201: jsonResponse('The token and its secret.', newTokenResult) },
        },
      },
      async ({ actor, body }) => {
        if (actor.via === 'token') throw new AppError('forbidden', 'an API token cannot create tokens: sign in to the console');
        const { token, secret } = await (await withDeps()).tokens.create(actor, body);
        return json({ token: publicToken(token), secret }, { status: 201 });
      },
    ),

    revokeToken: endpoint(
      {
        access: 'tokens.manage',
        params: idParams,
        doc: {
          id: 'revokeToken',
          summary: 'Revoke one of your API tokens',
          responses: { 200: jsonResponse('The revoked token.', tokenBody), 404: errorAnswer('You have no such token.') },
        },
      },
      async ({ actor, params: { id } }) => {
        return json({ token: publicToken(await (await withDeps()).tokens.revoke(actor, id)) });
      },
    ),
  };
}

export const handlers = accountHandlers();
