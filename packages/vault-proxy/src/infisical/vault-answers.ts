import { isVaultProxyError } from '../errors.js';

/**
 * What Infisical's refusals mean to a caller, decided here and nowhere else:
 * "absent" (a lookup found nothing), "already present" (a create lost to an
 * earlier or concurrent one), "credentials refused" (a login probe). The
 * client's finders turn these into `undefined` / `false`, so no caller reads
 * an HTTP status; when a server version words an answer differently, only
 * this module and the client's per-endpoint tables change.
 */

/** Infisical's own answer to a failed call; `undefined` when the vault did not answer (network, bad body, Cloudflare or the proxy refused). */
function vaultRefusal(error: unknown): { readonly status: number; readonly message: string } | undefined {
  // A gateway's refusal (failure mode B) says nothing about what the vault holds.
  if (!isVaultProxyError(error, 'INFISICAL_HTTP') || error.details.failureMode !== undefined) return undefined;
  return { status: Number(error.details.status), message: String(error.details.message ?? '') };
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
  if (refusal === undefined) return false;
  if (refusal.status === 404) return true;
  return variants.some((v) => v.status === refusal.status && v.message.test(refusal.message));
}

/** Whether `error` is Infisical refusing a create because the thing exists already (a 400 whose message matches `pattern`). @internal */
export function alreadyPresentOn(error: unknown, pattern: RegExp): boolean {
  const refusal = vaultRefusal(error);
  return refusal?.status === 400 && pattern.test(refusal.message);
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
    if (isVaultProxyError(error)) return { status: undefined, note: error.code };
    throw error;
  }
}
