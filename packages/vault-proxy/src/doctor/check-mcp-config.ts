import { isLoopbackHost } from '../connection/host-names.js';
import { parseEnvReference, readMcpEntry } from '../mcp/index.js';
import type { DoctorOptions, ResolvedDoctorOptions } from './doctor-options.js';
import { type DoctorCheck, fail, pass } from './doctor-report.js';
import { RUNBOOK_FIX } from './runbook-fixes.js';

const E_TITLE = 'MCP config present and pointing at this proxy';
const CREDENTIAL_KEYS = ['INFISICAL_UNIVERSAL_AUTH_CLIENT_ID', 'INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The port an `INFISICAL_HOST_URL` points at, when it is a loopback http URL. */
function loopbackPort(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return undefined;
    return Number(url.port || '80');
  } catch {
    return undefined;
  }
}

/**
 * docs/runbook.md §Failure mode E: the client's MCP config exists, has the Infisical
 * entry, points `INFISICAL_HOST_URL` at this proxy, and passes credentials
 * as references. @internal
 */
export async function checkMcpConfig(options: DoctorOptions, o: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const reading = await readMcpEntry({ dir: options.dir, cwd: options.cwd, client: options.client, env: options.env });
  const { file, entry } = reading;
  const fix = RUNBOOK_FIX.mcpConfig(file);
  const failE = (detail: string) => fail('mcp-config', E_TITLE, detail, fix, 'E');
  if (reading.state === 'missing-file') return failE(`${file} does not exist.`);
  if (reading.state === 'malformed') return failE(`${file} is not valid JSON (or its server list is not an object).`);
  if (!isObject(entry)) return failE(`${file} has no "infisical" server entry.`);
  const env = isObject(entry.env) ? entry.env : {};
  const port = loopbackPort(env.INFISICAL_HOST_URL);
  if (port === undefined) return failE(`The entry's INFISICAL_HOST_URL is not a loopback http URL, so it bypasses the proxy.`);
  if (port !== o.target.port) return failE(`The entry points at port ${port}, but the proxy is on port ${o.target.port}.`);
  const literal = CREDENTIAL_KEYS.filter((k) => typeof env[k] !== 'string' || parseEnvReference(env[k] as string) === undefined);
  if (literal.length > 0) return failE(`The entry's ${literal.join(', ')} are not \${VAR} references.`);
  return pass('mcp-config', E_TITLE, `${file} has the "infisical" entry pointing at http://127.0.0.1:${port}.`);
}
