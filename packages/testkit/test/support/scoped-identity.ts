import type { vaultClient } from './vault-client.js';

type Client = ReturnType<typeof vaultClient>;

/** A CASL rule as a privilege request carries it. */
export interface Rule {
  subject: string;
  action: string | string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
}

/** `read` on secrets in prod under a glob: what provisioning grants. */
export const readUnder = (glob: string): Rule => ({
  subject: 'secrets',
  action: ['read'],
  conditions: { environment: 'prod', secretPath: { $glob: glob } },
});

/**
 * A new identity (org and project `no-access`, universal auth, one client secret) with one
 * additional privilege holding `rules`, created through the API as the admin.
 */
export async function scopedIdentity(client: Client, projectId: string, organizationId: string, name: string, rules: Rule[]) {
  const admin = await client.adminToken();
  const created = await client.call('POST', '/api/v1/identities', { token: admin, body: { name, organizationId } });
  const id = created.body.identity.id as string;
  const ua = await client.call('POST', `/api/v1/auth/universal-auth/identities/${id}`, { token: admin, body: {} });
  const secret = await client.call('POST', `/api/v1/auth/universal-auth/identities/${id}/client-secrets`, { token: admin, body: {} });
  await client.call('POST', `/api/v2/workspace/${projectId}/identity-memberships/${id}`, { token: admin, body: {} });
  const privilege = await client.call('POST', '/api/v2/identity-project-additional-privilege', {
    token: admin,
    body: { identityId: id, projectId, slug: `${name}-read`, type: { isTemporary: false }, permissions: rules },
  });
  if (privilege.status !== 200) throw new Error(`privilege refused: ${privilege.text}`);
  return {
    id,
    admin,
    privilegeId: privilege.body.privilege.id as string,
    token: () => client.login({ clientId: ua.body.identityUniversalAuth.clientId, clientSecret: secret.body.clientSecret }),
  };
}
