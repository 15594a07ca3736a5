import type { HttpHandler } from 'msw';
import { badRequest } from '../errors.js';
import { getSecret, listSecrets } from '../model/secret-reads.js';
import { createSecret, deleteSecret, updateSecret } from '../model/secret-writes.js';
import { HIDDEN_SECRET_VALUE, type SecretLocation, type SecretView } from '../model/secrets.js';
import type { VaultStore } from '../model/store.js';
import { type HandlerContext, route } from './route.js';
import type { FieldReader } from './validation.js';

/** `secretRawSchema`: what POST and DELETE return. @internal */
export const secretBaseView = (store: VaultStore, { secret, version, valueHidden, value }: SecretView) => ({
  id: secret.id,
  _id: secret.id,
  workspace: store.project.id,
  environment: secret.envSlug,
  version: version.version,
  type: secret.type,
  secretKey: version.key,
  secretValue: valueHidden ? HIDDEN_SECRET_VALUE : (value ?? version.value),
  secretComment: version.comment,
  secretReminderNote: null,
  secretReminderRepeatDays: null,
  skipMultilineEncoding: version.skipMultilineEncoding,
  createdAt: secret.createdAt,
  updatedAt: version.updatedAt,
  isRotatedSecret: false,
  rotationId: null,
});

/** What GET (single and list) returns, as `@infisical/mcp` prints it. @internal */
export const secretFullView = (store: VaultStore, view: SecretView) => ({
  ...secretBaseView(store, view),
  secretValueHidden: view.valueHidden,
  secretPath: view.secret.path,
  tags: [],
  secretMetadata: [],
});

const TYPE = { default: 'shared', pattern: /^(shared|personal)$/, patternMessage: "Invalid enum value. Expected 'shared' | 'personal'" };

// GET names the project workspaceId/workspaceSlug; writes workspaceId/projectSlug. Unknown keys are ignored.
function readLocation(r: FieldReader, slugKey: string, strict: boolean): SecretLocation {
  const projectId = r.optStr('workspaceId');
  const projectSlug = r.optStr(slugKey);
  const environment = strict ? r.str('environment') : r.optStr('environment');
  const secretPath = r.str('secretPath', { default: '/' });
  r.check();
  if (projectId === undefined && projectSlug === undefined) throw badRequest('You must provide workspaceSlug or workspaceId');
  if (environment === undefined || environment === '') throw badRequest('Missing environment');
  return { projectId, projectSlug, environment, secretPath };
}

// GET reads `viewSecretValue` (default true) and `expandSecretReferences` (default false); `include_imports` has no
// imports to act on here, and camelCase `includeImports` (what @infisical/mcp sends) is not a key the server knows.
function readOptions(q: FieldReader) {
  return { viewSecretValue: q.bool('viewSecretValue', true), expandSecretReferences: q.bool('expandSecretReferences', false) };
}

function secretName(r: { params: Readonly<Record<string, string>> }, b: FieldReader, strict: boolean): string {
  const name = (r.params.secretName ?? '').trim();
  if (name.length === 0)
    b.addIssue('secretName', 'String must contain at least 1 character(s)', 'too_small', { minimum: 1, type: 'string' });
  else if (strict && /[:/]/.test(name)) b.addIssue('secretName', 'Secret name cannot contain colon or forward slash.');
  return name;
}

/** Raw secrets (v3): list, get, create, update, delete — all through the CASL checks of the model. @internal */
export function secretHandlers(ctx: HandlerContext): HttpHandler[] {
  const { store } = ctx;
  const base = '/api/v3/secrets/raw';
  return [
    route(ctx, 'get', base, (req) => {
      const actor = req.actor();
      const q = req.query;
      const recursive = q.bool('recursive', false);
      const reading = readOptions(q);
      const loc = readLocation(q, 'workspaceSlug', false);
      const secrets = listSecrets(store, actor.identityId, { ...loc, ...reading, recursive });
      return { secrets: secrets.map((s) => secretFullView(store, s)), imports: [] };
    }),
    route(ctx, 'get', `${base}/:secretName`, (req) => {
      const actor = req.actor();
      const q = req.query;
      const name = secretName(req, q, false);
      const version = q.num('version', { int: true, min: 1 });
      const type = q.str('type', TYPE);
      const reading = readOptions(q);
      const loc = readLocation(q, 'workspaceSlug', false);
      const view = getSecret(store, actor.identityId, { ...loc, ...reading, secretName: name, type, version });
      return { secret: secretFullView(store, view) };
    }),
    route(ctx, 'post', `${base}/:secretName`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const name = secretName(req, b, true);
      const value = b.raw('secretValue');
      if (typeof value !== 'string') b.addIssue('secretValue', 'Required', 'invalid_type', { expected: 'string' });
      const comment = b.str('secretComment', { default: '' });
      const skipMultilineEncoding = b.bool('skipMultilineEncoding', false);
      const type = b.str('type', TYPE);
      const loc = readLocation(b, 'projectSlug', true);
      // zod trims the value but keeps a trailing newline.
      const stored = typeof value === 'string' ? (value.endsWith('\n') ? `${value.trim()}\n` : value.trim()) : '';
      const view = createSecret(store, actor.identityId, { ...loc, secretName: name, value: stored, comment, skipMultilineEncoding, type });
      return { secret: secretBaseView(store, view) };
    }),
    route(ctx, 'patch', `${base}/:secretName`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const name = secretName(req, b, false);
      const value = b.raw('secretValue');
      if (value !== undefined && typeof value !== 'string')
        b.addIssue('secretValue', 'Expected string', 'invalid_type', { expected: 'string' });
      const comment = b.optStr('secretComment');
      const skipMultilineEncoding = b.raw('skipMultilineEncoding') == null ? undefined : b.bool('skipMultilineEncoding', false);
      const newSecretName = b.optStr('newSecretName', { min: 1 });
      b.str('type', TYPE);
      const loc = readLocation(b, 'projectSlug', true);
      const view = updateSecret(store, actor.identityId, {
        ...loc,
        secretName: name,
        value: typeof value === 'string' ? value : undefined,
        comment,
        skipMultilineEncoding,
        newSecretName,
      });
      return { secret: { ...secretBaseView(store, view), secretValueHidden: false } };
    }),
    route(ctx, 'delete', `${base}/:secretName`, async (req) => {
      const actor = req.actor();
      const b = await req.body();
      const name = secretName(req, b, false);
      b.str('type', TYPE);
      const loc = readLocation(b, 'projectSlug', true);
      return { secret: secretBaseView(store, deleteSecret(store, actor.identityId, { ...loc, secretName: name })) };
    }),
  ];
}
