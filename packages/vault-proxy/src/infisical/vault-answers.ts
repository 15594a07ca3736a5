import { isVaultProxyError } from '../errors.js';
import { isRetryableNetworkCode, isRetryableStatus } from './retry-policy.js';

/**
 * What Infisical's refusals mean to a caller, decided here and nowhere else:
 * "absent" (a lookup found nothing), "already present" (a create lost to an
 * earlier or concurrent one), "credentials refused" (a login probe). The
 * client's finders turn these into `undefined` / `false`, so no caller reads
 * an HTTP status; when a server version words an answer differently, only
 * this module and the client's per-endpoint tables change.
 */

/** Infisical's own answer to a failed call; `undefined` when the vault did not answer (network, bad body, Cloudflare or the proxy refused). */
function vaultRefusal(error: unknown): { readonly status: number; readonly message: string; readonly name: string } | undefined {
  // A gateway's refusal (failure mode B) says nothing about what the vault holds.
  if (!isVaultProxyError(error, 'INFISICAL_HTTP') || error.details.failureMode !== undefined) return undefined;
  return { status: Number(error.details.status), message: String(error.details.message ?? ''), name: String(error.details.error ?? '') };
}

/**
 * Whether `error` is Fastify's own 404 for a route the server does not have
 * (`{"message":"Route GET:/x not found","error":"Not Found"}`): a build that
 * predates the endpoint, never "the thing is absent". @internal
 */
export function routeMissingOn(error: unknown): boolean {
  const refusal = vaultRefusal(error);
  return refusal?.status === 404 && refusal.name === 'Not Found' && /^Route [A-Z]+:\S* not found$/.test(refusal.message);
}

/**
 * The error name when `error` is the server's secret-detection policy
 * refusing a value (`SecretPolicyViolation`, a 400 in the server source; a
 * 403 `PolicyViolationError` by other accounts), else `undefined`. @internal
 */
export function policyViolationOn(error: unknown): string | undefined {
  const refusal = vaultRefusal(error);
  if (refusal === undefined || (refusal.status !== 400 && refusal.status !== 403)) return undefined;
  return /PolicyViolation/.test(refusal.name) ? refusal.name : undefined;
}

/**
 * Whether `error` is Infisical saying the folder of a read does not exist
 * (404 "Folder with path … not found", or `SecretPathNotFound`), rather than
 * the secret. The server looks the folder up before it checks permission,
 * so this says nothing about the caller's scope. @internal
 */
export function folderMissingOn(error: unknown): boolean {
  const refusal = vaultRefusal(error);
  return refusal?.status === 404 && (refusal.name === 'SecretPathNotFound' || /^Folder with path\b/.test(refusal.message));
}

/**
 * A refusal other than 404 that one endpoint uses for "absent". Older
 * Infisical builds answer some lookups with a 400 (a "Failed to find …"
 * message) where current ones answer 404; such answers are listed per
 * endpoint, status and message both, so a genuine 400 (a malformed request)
 * is never mistaken for "absent".
 */
export interface AbsentVariant {
  /** The status of the variant, e.g. `400`. */
  readonly status: number;
  /** What Infisical's `message` must match. */
  readonly message: RegExp;
}

/**
 * Whether `error` is Infisical saying the thing looked up is not there: a
 * 404, or one of the endpoint's `variants`. This is the single place "not
 * found" is read from a status; to accept an older server's 400 for a
 * lookup, add an {@link AbsentVariant} to that lookup's entry in the
 * client's `ABSENT_VARIANTS` table (infisical-client.ts), not a rule here.
 * @internal
 */
export function absentOn(error: unknown, ...variants: readonly AbsentVariant[]): boolean {
  const refusal = vaultRefusal(error);
  // A route the server lacks is not an absent thing: deciding "absent" there would act on a server that cannot answer.
  if (refusal === undefined || routeMissingOn(error)) return false;
  if (refusal.status === 404) return true;
  return variants.some((v) => v.status === refusal.status && v.message.test(refusal.message));
}

/** Whether `error` is Infisical refusing a create because the thing exists already (a 400 whose message matches `pattern`). @internal */
export function alreadyPresentOn(error: unknown, pattern: RegExp): boolean {
  const refusal = vaultRefusal(error);
  return refusal?.status === 400 && pattern.test(refusal.message);
}

/**
 * Whether `error` is a transient failure (429, 5xx, a dropped connection)
 * after which a call may or may not have taken effect. @internal
 */
export function transientOn(error: unknown): boolean {
  if (isVaultProxyError(error, 'INFISICAL_NETWORK')) return isRetryableNetworkCode(String(error.details.code));
  const refusal = vaultRefusal(error);
  return refusal !== undefined && isRetryableStatus(refusal.status);
}

/** Whether `error` is Infisical refusing a login's credentials (401). @internal */
export function credentialsRefusedOn(error: unknown): boolean {
  return vaultRefusal(error)?.status === 401;
}

/** What `read` resolves to, or `undefined` when Infisical answers "absent" ({@link absentOn}); anything else is thrown. @internal */
export async function orAbsent<T>(read: Promise<T>, variants: readonly AbsentVariant[]): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (absentOn(error, ...variants)) return undefined;
    throw error;
  }
}

/** What `create` resolves to, or `undefined` when Infisical answers "already present" ({@link alreadyPresentOn}). @internal */
export async function unlessPresent<T>(create: Promise<T>, pattern: RegExp): Promise<T | undefined> {
  try {
    return await create;
  } catch (error) {
    if (alreadyPresentOn(error, pattern)) return undefined;
    throw error;
  }
}

/** How a call was answered, for checks that expect a given status (runbook Step 10). */
export interface CallAnswer {
  /** `200` on success, Infisical's status on its refusal; `undefined` when the vault did not answer. */
  readonly status: number | undefined;
  /** Infisical's error name, why there was no answer, or `''` on success. Never a secret. */
  readonly note: string;
  /** When there was no answer at all: the connection failure's system code (e.g. `ECONNREFUSED`). */
  readonly networkCode?: string;
}

/**
 * Run `call` and say how it was answered: 200, or the status Infisical
 * refused it with. A Cloudflare Access refusal (failure mode B), a proxy or
 * network failure is not the vault's answer (`status` undefined); an error
 * that is no `VaultProxyError` is a bug and is thrown.
 * @internal
 */
export async function answerOf(call: () => Promise<unknown>): Promise<CallAnswer> {
  try {
    await call();
    return { status: 200, note: '' };
  } catch (error) {
    if (isVaultProxyError(error, 'INFISICAL_HTTP')) {
      const fromGate = error.details.failureMode === 'B';
      return {
        status: fromGate ? undefined : Number(error.details.status),
        note: fromGate ? 'Cloudflare Access refused (failure mode B)' : String(error.details.error ?? ''),
      };
    }
    if (isVaultProxyError(error, 'INFISICAL_NETWORK')) {
      return { status: undefined, note: error.code, networkCode: String(error.details.code ?? 'UNKNOWN') };
    }
    if (isVaultProxyError(error)) return { status: undefined, note: error.code };
    throw error;
  }
}
