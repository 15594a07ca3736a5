import type { SecureContext } from 'node:tls';
import { nodeTls } from './lazy-builtins.js';

/** What `createSecureContext` returns, as far as adding a CA to it goes (Node's native context). */
interface NativeContext {
  readonly context?: { addCACert?: (pem: string) => void };
}

/**
 * Agent options that trust an extra PEM CA in addition to the CAs of
 * Node's default store (the public roots; OpenSSL's store under
 * `--use-openssl-ca`), never instead of them. As with any `ca` in Node,
 * `NODE_EXTRA_CA_CERTS` then no longer applies: put such a CA in the file. Built once as a `secureContext`: passing `ca` to an
 * agent instead puts the whole PEM bundle (~200 KB) into the pool key of
 * every request and re-parses it for every new connection — measured at
 * over 40% of the proxy's CPU under load.
 *
 * The context starts as Node's default one and gets the extra CA added to
 * its own copy of the default store (what Node itself does for each `ca`
 * entry): the public roots are not handed over again as ~140 PEM strings
 * to parse, which cost the idle proxy 1.1 MiB (BENCHMARKS.md, issue 13).
 * Where a Node build does not offer that, the documented route is taken:
 * `ca` set to every public root plus the extra CA.
 * @internal
 */
export function extraCaAgentOptions(ca: string | undefined): { secureContext?: SecureContext } {
  if (ca === undefined) return {};
  const tls = nodeTls();
  const secureContext = tls.createSecureContext({ minVersion: 'TLSv1.2' });
  const native = (secureContext as NativeContext).context;
  if (typeof native?.addCACert === 'function') {
    native.addCACert(ca);
    return { secureContext };
  }
  return { secureContext: tls.createSecureContext({ ca: trustedCas(ca), minVersion: 'TLSv1.2' }) };
}

/** The CA list trusted with an extra CA when it cannot be added to the default store: every public root, then the extra one. @internal */
export function trustedCas(ca: string): string[] {
  return [...nodeTls().rootCertificates, ca];
}
