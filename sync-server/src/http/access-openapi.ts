/**
 * OpenAPI entries of the accounts, hubs, roles, proposals and moderation routes (auth-routes.ts,
 * hub-routes.ts, proposal-routes.ts, moderation-routes.ts), spread into `apiPaths`. Invariant:
 * openapi.test.ts mounts those modules and fails when one of their routes is missing here.
 * Only types come from openapi.ts, which imports this module.
 */
import type { OpenApiOperation, OpenApiParameter, OpenApiPathItem } from './openapi.ts';

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};
const jsonOf = (schema: object) => ({ 'application/json': { schema } });
const ok = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: jsonOf(schema),
});
const failure = (description: string) => ({ description, content: jsonOf(errorBody) });
const pathParam = (name: string, description: string): OpenApiParameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const query = (name: string, description: string, schema: object = { type: 'string' }): OpenApiParameter => ({
  name,
  in: 'query',
  description,
  schema,
});
const datasetId = pathParam('id', 'Dataset id: 1-64 letters, digits, - or _');
const hubId = pathParam('hubId', 'Hub id');
const userId = pathParam('userId', 'Account id');
const proposalId = pathParam('pid', 'Proposal id');

const signedIn = failure('Not signed in (`unauthenticated`)');
const crossSite = failure('`cross_site_request`: a cookie-borne write without a same-origin `Origin`');
const notOwner = failure('`forbidden` (role) or `cross_site_request` (CSRF)');
const hidden = failure('`dataset_not_found`: missing, or not readable by the caller');

function operation(
  tag: string,
  summary: string,
  responses: OpenApiOperation['responses'],
  extra: { parameters?: OpenApiParameter[]; body?: object; description?: string } = {},
): OpenApiOperation {
  return {
    summary,
    tags: [tag],
    ...(extra.description ? { description: extra.description } : {}),
    ...(extra.parameters ? { parameters: extra.parameters } : {}),
    ...(extra.body ? { requestBody: { required: true, content: jsonOf(extra.body) } } : {}),
    responses,
  };
}

const object = (properties: Record<string, object>, required: string[] = []) => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
});
const text = { type: 'string' };
const role = { enum: ['reader', 'editor', 'moderator', 'owner'] };
const hubRole = { enum: ['admin', 'member'] };
const subject = object({ kind: { enum: ['user', 'hub'] }, id: text }, ['kind', 'id']);
const member = object({
  userId: text,
  email: text,
  displayName: text,
  hubRole,
  addedAt: { type: 'integer' },
});
const hub = object({
  id: text,
  name: text,
  createdAt: { type: 'integer' },
  hubRole,
  members: { type: 'array', items: member },
});

export const accessPaths: Record<string, OpenApiPathItem> = {
  '/api/auth/login': {
    post: operation(
      'accounts',
      'Sign in: a cookie session (HttpOnly, SameSite=Lax), or `kind: bearer` for a token in the body',
      {
        '200': ok('The account; `token` when bearer'),
        '401': failure('`invalid_credentials`'),
        '403': crossSite,
        '429': failure(
          '`too_many_attempts` (per account and address pair, slowing down step by step; per address; per account from addresses it has not signed in from), with Retry-After',
        ),
      },
      {
        body: object({ email: text, password: text, kind: { enum: ['cookie', 'bearer'] } }, [
          'email',
          'password',
        ]),
      },
    ),
  },
  '/api/auth/logout': {
    post: operation('accounts', 'End this session', {
      '200': ok('Signed out'),
      '401': signedIn,
      '403': crossSite,
    }),
  },
  '/api/auth/me': {
    get: operation('accounts', 'The signed-in account and its hubs', {
      '200': ok('The account'),
      '401': signedIn,
    }),
  },
  '/api/auth/session': {
    get: operation(
      'accounts',
      'Who is signed in: `{user}` as in `/api/auth/me`, or `{user: null}` (never 401)',
      {
        '200': ok('`{user}`, null when nobody is signed in'),
      },
    ),
  },
  '/api/auth/password': {
    post: operation(
      'accounts',
      'Change the password; keeps this session, ends the others',
      {
        '200': ok('`{ok, revokedSessions}`'),
        '400': failure('`weak_password`'),
        '401': signedIn,
        '403': crossSite,
      },
      { body: object({ currentPassword: text, newPassword: text }, ['currentPassword', 'newPassword']) },
    ),
  },
  '/api/hubs': {
    get: operation('hubs', "The caller's hubs, each with its members (email, name, hub role)", {
      '200': ok('`{hubs}`', object({ hubs: { type: 'array', items: hub } })),
      '401': signedIn,
    }),
    post: operation(
      'hubs',
      'Create a hub; the caller is its first admin',
      { '201': ok('`{hub}`'), '401': signedIn, '403': crossSite },
      { body: object({ name: text }, ['name']) },
    ),
  },
  '/api/hubs/{hubId}': {
    get: operation(
      'hubs',
      'One hub with its members, for its members',
      {
        '200': ok('`{hub}`', object({ hub })),
        '401': signedIn,
        '404': failure('`hub_not_found` (or not a member)'),
      },
      { parameters: [hubId] },
    ),
  },
  '/api/hubs/{hubId}/members': {
    post: operation(
      'hubs',
      'Add an account to the hub, or change its hub role (hub admins)',
      {
        '201': ok('`{member}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`user_not_found`, `hub_not_found`'),
      },
      { parameters: [hubId], body: object({ email: text, hubRole }, ['email']) },
    ),
  },
  '/api/hubs/{hubId}/members/{userId}': {
    patch: operation(
      'hubs',
      "Change a member's hub role (hub admins; the last admin cannot step down)",
      {
        '200': ok('`{member}`'),
        '400': failure('`invalid_body`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`user_not_found` (not a member), `hub_not_found`'),
      },
      { parameters: [hubId, userId], body: object({ hubRole }, ['hubRole']) },
    ),
    delete: operation(
      'hubs',
      "Remove a member (hub admins) or leave (oneself); the hub's dataset roles stop reaching them, open websockets included",
      { '200': ok('`{removed}`'), '401': signedIn, '403': notOwner, '404': failure('`hub_not_found`') },
      { parameters: [hubId, userId] },
    ),
  },
  '/api/datasets/{id}/roles': {
    get: operation(
      'roles',
      "The dataset's roles (owners)",
      { '200': ok('`{roles}`'), '401': signedIn, '403': notOwner, '404': hidden },
      { parameters: [datasetId] },
    ),
    put: operation(
      'roles',
      'Grant, change or (with `role: null`) take back a role (owners); open websockets follow at once',
      {
        '200': ok('`{roles}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `user_not_found`'),
        '409': failure('`last_owner`'),
      },
      {
        parameters: [datasetId],
        body: object({ email: text, subject, role: { oneOf: [role, { type: 'null' }] } }, ['role']),
      },
    ),
  },
  '/api/datasets/{id}/roles/{kind}/{subjectId}': {
    delete: operation(
      'roles',
      "Take back a person's (`user`) or a hub's (`hub`) role (owners); open websockets follow at once",
      {
        '200': ok('`{revoked}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `user_not_found`'),
        '409': failure('`last_owner`'),
      },
      {
        parameters: [
          datasetId,
          pathParam('kind', '`user` or `hub`'),
          pathParam('subjectId', 'Account or hub id'),
        ],
      },
    ),
  },
  '/api/datasets/{id}/settings': {
    get: operation(
      'roles',
      'Access settings: visibility, proposals open or closed, fields open to proposals (owners)',
      { '200': ok('`{settings}`'), '401': signedIn, '403': notOwner, '404': hidden },
      { parameters: [datasetId] },
    ),
    put: operation(
      'roles',
      'Change access settings (owners)',
      {
        '200': ok('`{settings}`'),
        '400': failure(
          '`invalid_settings`; `unknown_proposable_field` with `fields`, the names the schema does not have',
        ),
        '401': signedIn,
        '403': notOwner,
        '404': hidden,
      },
      {
        parameters: [datasetId],
        body: object({
          visibility: { enum: ['public', 'private'] },
          proposals: { enum: ['open', 'closed'] },
          proposableFields: { type: 'array', items: text },
        }),
      },
    ),
  },
  '/api/datasets/{id}/invites': {
    get: operation(
      'roles',
      "The dataset's invite links, revoked ones included (owners; tokens are never shown again)",
      { '200': ok('`{invites}`'), '401': signedIn, '403': notOwner, '404': hidden },
      { parameters: [datasetId] },
    ),
    post: operation(
      'roles',
      'Make an invite link (owners): role reader, editor or moderator, lifetime, number of uses',
      {
        '201': ok('`{invite, token}`: the token is shown once'),
        '400': failure('`invalid_invite`'),
        '401': signedIn,
        '403': notOwner,
        '404': hidden,
      },
      {
        parameters: [datasetId],
        body: object(
          {
            role: { enum: ['reader', 'editor', 'moderator'] },
            lifetimeMs: { type: 'integer' },
            maxUses: { type: 'integer' },
          },
          ['role'],
        ),
      },
    ),
  },
  '/api/datasets/{id}/invites/{inviteId}': {
    delete: operation(
      'roles',
      'Revoke an invite link of this dataset (owners); those who joined keep their role',
      {
        '200': ok('`{invite}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `invite_not_found`'),
      },
      { parameters: [datasetId, pathParam('inviteId', 'Invite id')] },
    ),
  },
  '/api/invites/{token}/accept': {
    post: operation(
      'roles',
      "Take the invite's role, for oneself or (`forHub`) a hub one administers",
      {
        '200': ok('`{datasetId, role, subject}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`invite_not_found`'),
        '410': failure('`invite_expired`, `invite_used_up`, `invite_revoked`'),
      },
      { parameters: [pathParam('token', 'The invite token from the link')], body: object({ forHub: text }) },
    ),
  },
  '/api/invites/{token}/join': {
    post: operation(
      'roles',
      'Create an account from an invite link and take its role in one step (no account needed); signs in with a cookie',
      {
        '201': ok('`{user, datasetId, role}`; the session cookie is set'),
        '400': failure('`invalid_email`, `weak_password` (12 to 1024 characters), `invalid_body`'),
        '403': crossSite,
        '404': failure('`invite_not_found`'),
        '409': failure('`email_taken`: sign in, then accept the link'),
        '410': failure('`invite_expired`, `invite_used_up`, `invite_revoked` (no account is created)'),
        '429': failure('`too_many_attempts` (per address, with sign-in), with Retry-After'),
      },
      {
        parameters: [pathParam('token', 'The invite token from the link')],
        body: object({ email: text, name: text, password: text }, ['email', 'password']),
      },
    ),
  },
  '/api/hubs/{hubId}/invites': {
    post: operation(
      'hubs',
      'An invite link into the hub (hub admins): whoever opens it becomes a member, signed in or creating their account',
      {
        '201': ok('`{invite, token}` (the token is shown once)'),
        '400': failure('`invalid_invite` (lifetime 5 min to 90 days, 1 to 1000 uses)'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`hub_not_found`'),
      },
      {
        parameters: [hubId],
        body: object({ lifetimeMs: { type: 'integer' }, maxUses: { type: 'integer' } }),
      },
    ),
  },
  '/api/hub-invites/{token}/accept': {
    post: operation(
      'hubs',
      "Join the link's hub as a member (an existing member keeps their hub role and spends no use)",
      {
        '200': ok('`{hubId, hubName}`'),
        '401': signedIn,
        '403': crossSite,
        '404': failure('`invite_not_found`'),
        '410': failure('`invite_expired`, `invite_used_up`, `invite_revoked`'),
      },
      { parameters: [pathParam('token', 'The hub invite token from the link')] },
    ),
  },
  '/api/hub-invites/{token}/join': {
    post: operation(
      'hubs',
      'Create an account from a hub invite link and join the hub in one step; signs in with a cookie',
      {
        '201': ok('`{user, hubId, hubName}`; the session cookie is set'),
        '400': failure('`invalid_email`, `weak_password`, `invalid_body`'),
        '403': crossSite,
        '404': failure('`invite_not_found`'),
        '409': failure('`email_taken`'),
        '410': failure('`invite_expired`, `invite_used_up`, `invite_revoked` (no account is created)'),
        '429': failure('`too_many_attempts` (per address, with sign-in), with Retry-After'),
      },
      {
        parameters: [pathParam('token', 'The hub invite token from the link')],
        body: object({ email: text, name: text, password: text }, ['email', 'password']),
      },
    ),
  },
  '/api/password-resets': {
    post: operation(
      'accounts',
      'A password reset link for a member (hub admins of one of their hubs, instance owners; never a hub admin for an instance owner): mailed when DATAPATCH_SMTP_URL is set, else in the answer to copy. Works once, for 4 hours; earlier unused links of the account stop working',
      {
        '201': ok('`{emailed: true, expiresAt}` or `{emailed: false, link, expiresAt}`'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`user_not_found`'),
      },
      { body: object({ userId: text, email: text }) },
    ),
  },
  '/api/password-resets/{token}': {
    get: operation(
      'accounts',
      'Whose account a reset link is for, and until when (for the reset page)',
      {
        '200': ok('`{email, expiresAt}`'),
        '404': failure('`reset_not_found`'),
        '410': failure('`reset_used`, `reset_expired`'),
      },
      { parameters: [pathParam('token', 'The reset token from the link')] },
    ),
    post: operation(
      'accounts',
      'Set a new password with a reset link: the link is spent, every session of the account ends, and this one is signed in (cookie)',
      {
        '200': ok('`{user, revokedSessions}`'),
        '400': failure('`weak_password`, `invalid_body`'),
        '403': crossSite,
        '404': failure('`reset_not_found`'),
        '410': failure('`reset_used`, `reset_expired`'),
        '429': failure('`too_many_attempts` (per address, with sign-in), with Retry-After'),
      },
      {
        parameters: [pathParam('token', 'The reset token from the link')],
        body: object({ password: text }, ['password']),
      },
    ),
  },
  '/api/datasets/{id}/proposals': {
    post: operation(
      'proposals',
      'Propose a change, a new record or a deletion, without an account',
      {
        '202': ok('Stored on disk and in the moderation queue: `{proposalId, receipt}`'),
        '400': failure('`proposal_spam` and other refusals'),
        '403': failure('`proposals_closed`'),
        '404': hidden,
        '409': failure('`idempotency_key_reused`'),
        '413': failure('`proposal_too_large`'),
        '422': failure('`proposal_invalid`, `proposal_field_closed`, with `issues`'),
        '429': failure('`rate_limited` (Retry-After), `too_many_pending`'),
      },
      {
        parameters: [datasetId],
        description: 'The same `idempotencyKey` sent again gets the first answer back.',
        body: object(
          {
            kind: { enum: ['create', 'change', 'delete'] },
            rowId: text,
            base: { type: 'object' },
            proposed: { type: 'object' },
            comment: text,
            contact: text,
            idempotencyKey: text,
          },
          ['kind', 'idempotencyKey'],
        ),
      },
    ),
    get: operation(
      'moderation',
      'List proposals with contacts (moderators, owners)',
      {
        '200': ok('`{total, proposals}`'),
        '400': failure('`invalid_filter`'),
        '401': signedIn,
        '403': notOwner,
        '404': hidden,
      },
      {
        parameters: [
          datasetId,
          query('status', 'One status or a comma list'),
          query('rowId', 'Proposals on this record'),
          query('field', 'Proposals touching this field'),
          query('olderThanMs', 'Older than this many ms', { type: 'integer' }),
          query('newerThanMs', 'Newer than this many ms', { type: 'integer' }),
          query('limit', 'At most 1000 (default 100)', { type: 'integer' }),
          query('offset', 'Skip this many', { type: 'integer' }),
        ],
      },
    ),
  },
  '/api/proposals/{pid}': {
    get: operation(
      'proposals',
      'Status, decision and reason (on a partial decision: the fields kept and the reasons for those refused), for the holder of the receipt',
      { '200': ok('`{proposal}`'), '404': failure('`proposal_not_found` (also for a wrong receipt)') },
      { parameters: [proposalId, query('receipt', 'The receipt (or header X-Receipt)')] },
    ),
    patch: operation(
      'proposals',
      'Amend a pending proposal (same kind and record), checked like a new one',
      {
        '200': ok('`{proposal}`'),
        '404': failure('`proposal_not_found`'),
        '409': failure('`proposal_not_pending`'),
        '422': failure('`proposal_invalid`'),
      },
      {
        parameters: [proposalId, query('receipt', 'The receipt (or header X-Receipt)')],
        body: { type: 'object' },
      },
    ),
    delete: operation(
      'proposals',
      'Withdraw a pending proposal',
      {
        '200': ok('`{proposal}`'),
        '404': failure('`proposal_not_found`'),
        '409': failure('`proposal_not_pending`'),
      },
      { parameters: [proposalId, query('receipt', 'The receipt (or header X-Receipt)')] },
    ),
  },
  '/api/datasets/{id}/proposals/{pid}/accept': {
    post: operation(
      'moderation',
      'Accept all or some fields (moderators, owners)',
      {
        '200': ok('The decision'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `proposal_not_found`'),
        '409': failure('`conflict` with `{field, base, current, proposed}`'),
      },
      {
        parameters: [datasetId, proposalId],
        body: object({
          fields: { type: 'array', items: text },
          edits: { type: 'object' },
          force: { type: 'boolean' },
          refusedReasons: { type: 'object', additionalProperties: text },
        }),
      },
    ),
  },
  '/api/datasets/{id}/proposals/{pid}/reject': {
    post: operation(
      'moderation',
      'Reject, with a reason the contributor sees (moderators, owners)',
      {
        '200': ok('The decision'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `proposal_not_found`'),
      },
      { parameters: [datasetId, proposalId], body: object({ reason: text }) },
    ),
  },
  '/api/datasets/{id}/proposals/{pid}/undo': {
    post: operation(
      'moderation',
      'Undo a decision (moderators, owners)',
      {
        '200': ok('The proposal, pending again'),
        '401': signedIn,
        '403': notOwner,
        '404': failure('`dataset_not_found`, `proposal_not_found`'),
        '409': failure('`conflict`'),
      },
      { parameters: [datasetId, proposalId], body: object({ force: { type: 'boolean' } }) },
    ),
  },
  '/api/datasets/{id}/changes': {
    get: operation(
      'moderation',
      'The changelog, oldest first (whoever may read the dataset)',
      { '200': ok('`{total, changes, offset, limit}`'), '400': failure('`invalid_filter`'), '404': hidden },
      {
        parameters: [
          datasetId,
          query('offset', 'Skip this many', { type: 'integer' }),
          query('limit', 'At most 1000 (default 100)', { type: 'integer' }),
          query('rowId', 'Changes of this record'),
          query('proposalId', 'Changes from this proposal'),
        ],
      },
    ),
  },
};
