import { SecretValue } from '../secret-value.js';
import type {
  ClientSecretData,
  Folder,
  Identity,
  IdentityPrivilege,
  IdentityUniversalAuth,
  OrgIdentityMembership,
  PrivilegePermission,
  Project,
  ProjectIdentityMembership,
  Secret,
} from './api-types.js';
import type { CallSite } from './http-error.js';
import { field, object, optionalString } from './response-fields.js';

type Json = Record<string, unknown>;

/** Maps Infisical's JSON entities to the typed shapes, checking the fields callers rely on. @internal */

export function parseProject(raw: Json, site: CallSite): Project {
  const environments = Array.isArray(raw.environments) ? raw.environments : [];
  return {
    id: field(raw, 'id', 'string', site),
    name: optionalString(raw, 'name') ?? '',
    slug: field(raw, 'slug', 'string', site),
    orgId: field(raw, 'orgId', 'string', site),
    environments: environments.map((e) => {
      const env = object(e, site, 'environments[]');
      return { id: optionalString(env, 'id') ?? '', name: optionalString(env, 'name') ?? '', slug: field(env, 'slug', 'string', site) };
    }),
  };
}

export function parseIdentity(raw: Json, site: CallSite): Identity {
  return {
    id: field(raw, 'id', 'string', site),
    name: field(raw, 'name', 'string', site),
    ...(typeof raw.orgId === 'string' ? { orgId: raw.orgId } : {}),
    ...(Array.isArray(raw.authMethods) ? { authMethods: raw.authMethods.filter((m): m is string => typeof m === 'string') } : {}),
  };
}

export function parseOrgMembership(raw: Json, site: CallSite): OrgIdentityMembership {
  return {
    id: field(raw, 'id', 'string', site),
    role: optionalString(raw, 'role') ?? '',
    ...(typeof raw.orgId === 'string' ? { orgId: raw.orgId } : {}),
    ...(typeof raw.identityId === 'string' ? { identityId: raw.identityId } : {}),
    identity: parseIdentity(object(raw.identity, site, 'identity'), site),
  };
}

export function parseUniversalAuth(raw: Json, site: CallSite): IdentityUniversalAuth {
  return {
    id: field(raw, 'id', 'string', site),
    clientId: field(raw, 'clientId', 'string', site),
    identityId: optionalString(raw, 'identityId') ?? '',
    accessTokenTTL: field(raw, 'accessTokenTTL', 'number', site),
    accessTokenMaxTTL: field(raw, 'accessTokenMaxTTL', 'number', site),
    accessTokenNumUsesLimit: typeof raw.accessTokenNumUsesLimit === 'number' ? raw.accessTokenNumUsesLimit : 0,
  };
}

export function parseClientSecretData(raw: Json, site: CallSite): ClientSecretData {
  return {
    id: field(raw, 'id', 'string', site),
    clientSecretPrefix: optionalString(raw, 'clientSecretPrefix') ?? '',
    description: optionalString(raw, 'description') ?? '',
    clientSecretNumUses: typeof raw.clientSecretNumUses === 'number' ? raw.clientSecretNumUses : 0,
    clientSecretNumUsesLimit: typeof raw.clientSecretNumUsesLimit === 'number' ? raw.clientSecretNumUsesLimit : 0,
    clientSecretTTL: typeof raw.clientSecretTTL === 'number' ? raw.clientSecretTTL : 0,
    isClientSecretRevoked: raw.isClientSecretRevoked === true,
    createdAt: optionalString(raw, 'createdAt') ?? '',
  };
}

export function parseFolder(raw: Json, site: CallSite): Folder {
  return {
    id: field(raw, 'id', 'string', site),
    name: field(raw, 'name', 'string', site),
    ...(raw.parentId === null || typeof raw.parentId === 'string' ? { parentId: raw.parentId } : {}),
  };
}

export function parseSecret(raw: Json, site: CallSite): Secret {
  const value = raw.secretValue;
  return {
    id: optionalString(raw, 'id') ?? '',
    secretKey: field(raw, 'secretKey', 'string', site),
    secretValue: new SecretValue(typeof value === 'string' ? value : ''),
    secretComment: optionalString(raw, 'secretComment') ?? '',
    version: typeof raw.version === 'number' ? raw.version : 0,
    ...(typeof raw.secretPath === 'string' ? { secretPath: raw.secretPath } : {}),
    environment: optionalString(raw, 'environment') ?? '',
  };
}

export function parseProjectMembership(raw: Json, site: CallSite): ProjectIdentityMembership {
  const roles = Array.isArray(raw.roles)
    ? raw.roles.map((r) => {
        const role = object(r, site, 'roles[]');
        return {
          role: field(role, 'role', 'string', site),
          customRoleSlug: optionalString(role, 'customRoleSlug') ?? null,
          isTemporary: role.isTemporary === true,
        };
      })
    : typeof raw.role === 'string'
      ? [{ role: raw.role, customRoleSlug: null, isTemporary: false }]
      : [];
  return { id: field(raw, 'id', 'string', site), ...(typeof raw.identityId === 'string' ? { identityId: raw.identityId } : {}), roles };
}

function parsePermission(raw: unknown, site: CallSite): PrivilegePermission {
  const rule = object(raw, site, 'permissions[]');
  const action = Array.isArray(rule.action) ? rule.action.map(String) : typeof rule.action === 'string' ? [rule.action] : [];
  return {
    subject: String(rule.subject ?? ''),
    action,
    ...(typeof rule.conditions === 'object' && rule.conditions !== null ? { conditions: rule.conditions as Json } : {}),
    ...(typeof rule.inverted === 'boolean' ? { inverted: rule.inverted } : {}),
  };
}

export function parsePrivilege(raw: Json, site: CallSite): IdentityPrivilege {
  return {
    id: field(raw, 'id', 'string', site),
    slug: field(raw, 'slug', 'string', site),
    isTemporary: raw.isTemporary === true,
    ...(Array.isArray(raw.permissions) ? { permissions: raw.permissions.map((p) => parsePermission(p, site)) } : {}),
  };
}
