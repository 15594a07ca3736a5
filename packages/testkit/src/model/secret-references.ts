import { forbidden } from '../errors.js';
import { normalizePath } from './paths.js';
import { can, type PermissionRule } from './permissions.js';
import type { VaultStore } from './store.js';
import { latest, secretKeyOf } from './store.js';

/**
 * `expandSecretReferences=true`: `${KEY}` (same folder) and `${env.folder.sub.KEY}` are replaced
 * by the referenced values, recursively up to a depth of 10. Every referenced secret must be
 * readable (readValue) by the caller, whether or not it exists, else the whole read is a 403;
 * a reference to a secret that does not exist stays as literal text. Cross-project references
 * (`${@project.…}`) are left alone, as on a server without cross-project sharing.
 */

const REFERENCE = /\$\{([a-zA-Z0-9-_.@]+)\}/g;
const MAX_DEPTH = 10;

/** Where a secret lives and what it holds. @internal */
export interface SecretAt {
  readonly environment: string;
  readonly secretPath: string;
  readonly secretKey: string;
}

interface Target extends SecretAt {
  readonly crossProject: boolean;
}

function parseReference(body: string, from: SecretAt): Target {
  const parts = body.split('.');
  if (parts.length === 1) return { ...from, secretKey: body, crossProject: false };
  if (parts[0]?.startsWith('@')) return { environment: '', secretPath: '/', secretKey: '', crossProject: true };
  const [environment = '', ...rest] = parts;
  return { environment, secretPath: normalizePath(rest.slice(0, -1).join('/')), secretKey: rest.at(-1) ?? '', crossProject: false };
}

function valueAt(store: VaultStore, at: SecretAt): string | undefined {
  const secret = store.secrets.get(secretKeyOf(at.environment, at.secretPath, at.secretKey));
  return secret ? latest(secret).value : undefined;
}

function mayRead(rules: readonly PermissionRule[], at: SecretAt): boolean {
  return can(rules, 'readValue', 'secrets', { environment: at.environment, secretPath: at.secretPath, secretName: at.secretKey });
}

/**
 * The expanded value of the secret `root` holding `value`, for a caller with `rules`.
 * @internal
 */
// backend/src/services/secret-v2-bridge/secret-reference-fns.ts: expandSecretReferencesFactory
export function expandReferences(store: VaultStore, rules: readonly PermissionRule[], root: SecretAt, value: string): string {
  if (!/\$\{[a-zA-Z0-9-_.@]+\}/.test(value)) return value;
  // The secret being expanded must itself be readable before anything is looked up.
  if (!mayRead(rules, root)) {
    throw forbidden(
      `You do not have permission to read secret '${root.secretKey}' in environment '${root.environment}' at path '${root.secretPath}'.`,
    );
  }
  const expand = (text: string, from: SecretAt, depth: number, visited: ReadonlySet<string>): string =>
    depth > MAX_DEPTH
      ? text
      : text.replace(REFERENCE, (whole, body: string) => {
          const target = parseReference(body, from);
          if (target.crossProject) return whole;
          if (!mayRead(rules, target)) {
            throw forbidden(
              `You do not have permission to read secret '${target.secretKey}' in environment '${target.environment}' at path '${target.secretPath}', which is referenced by secret '${root.secretKey}' in environment '${root.environment}' at path '${root.secretPath}'.`,
            );
          }
          const found = valueAt(store, target);
          if (found === undefined) return whole;
          const id = `${target.environment}:${target.secretPath}:${target.secretKey}`;
          return visited.has(id) ? found : expand(found, target, depth + 1, new Set([...visited, id]));
        });
  return expand(value, root, 0, new Set([`${root.environment}:${root.secretPath}:${root.secretKey}`]));
}
