import { STATUS_REASONS } from './http-tables.js';

/**
 * Serialize heads as the proxy sends them: HTTP/1.1, CRLF line ends, names
 * and values exactly as the header policy left them (all of them already
 * checked to hold no CR, LF or other control byte).
 */

/** `Name: value\r\n` for each pair of a raw header list. @internal */
export function headerLines(rawHeaders: readonly string[]): string {
  let text = '';
  for (let i = 0; i < rawHeaders.length; i += 2) text += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return text;
}

/**
 * `METHOD target HTTP/1.1`, the header lines, then `lines` already written as
 * such and the `trailing` headers (both default none), the empty line.
 * @internal
 */
export function requestHeadText(
  method: string,
  target: string,
  rawHeaders: readonly string[],
  lines = '',
  trailing: readonly string[] = [],
): string {
  return `${method} ${target} HTTP/1.1\r\n${headerLines(rawHeaders)}${lines}${headerLines(trailing)}\r\n`;
}

/** `HTTP/1.1 status reason`, the header lines, the empty line (the reason is the vault's, else the standard one). @internal */
export function responseHeadText(status: number, reason: string, rawHeaders: readonly string[]): string {
  return `HTTP/1.1 ${status} ${reason || STATUS_REASONS[status] || ''}\r\n${headerLines(rawHeaders)}\r\n`;
}
