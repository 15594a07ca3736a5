import { isIPv4, isIPv6 } from 'node:net';

/**
 * `net.isIP` without its cost at start: Node's IPv6 pattern takes ~10 ms to
 * compile on first use, so only a string with a colon is tried as IPv6.
 * 4, 6, or 0 for a name.
 */
export function ipVersion(value: string): 0 | 4 | 6 {
  if (value.includes(':')) return isIPv6(value) ? 6 : 0;
  return isIPv4(value) ? 4 : 0;
}

/** Whether a hostname or IP literal is loopback (`localhost`, 127.0.0.0/8, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (ipVersion(h) === 4) return h.startsWith('127.');
  if (ipVersion(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

/** A `Host` value (or an allow-list entry) split into its parts. */
export interface HostAndPort {
  /** Lower-case name; an IPv6 literal keeps its brackets (`[::1]`). */
  readonly name: string;
  /** The port when one was given. */
  readonly port: number | undefined;
}

/** RFC 3986 reg-name / IPv4 characters we accept in a name (no `%`-encoding, no `@`, no `:`). */
const NAME = /^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/;
const PORT = /^[0-9]{1,5}$/;

/**
 * Split a `Host` header value strictly: a name, optionally `:` and 1–5
 * digits (1–65535). Anything else (`localhost:2019@evil.example`,
 * `localhost:evil.example`, spaces, an empty port) is `undefined`: a value
 * the proxy cannot read unambiguously is never compared leniently.
 */
export function parseHostHeader(value: string): HostAndPort | undefined {
  const h = value.trim().toLowerCase();
  let name: string;
  let rest: string;
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    if (close === -1) return undefined;
    name = h.slice(0, close + 1);
    if (ipVersion(name.slice(1, -1)) !== 6) return undefined;
    rest = h.slice(close + 1);
  } else {
    const colon = h.indexOf(':');
    name = colon === -1 ? h : h.slice(0, colon);
    rest = colon === -1 ? '' : h.slice(colon);
    if (!NAME.test(name)) return undefined;
  }
  if (rest === '') return { name, port: undefined };
  if (rest[0] !== ':' || !PORT.test(rest.slice(1))) return undefined;
  const port = Number(rest.slice(1));
  return port >= 1 && port <= 65535 ? { name, port } : undefined;
}
