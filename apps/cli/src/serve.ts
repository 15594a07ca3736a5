import { isVaultProxyError, type ProxyAddress, type ProxyHandle, type ResolvedProxyOptions } from '@raxx/vault-proxy';
import { explainPortInUse, removePidFile, writePidFile } from '@raxx/vault-proxy/process';

/** Resolves with the first SIGINT/SIGTERM. Registered before listening so no signal is lost. */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** `listen()`, with a taken port explained as failure mode A (who holds it, what to do). */
export async function listenExplained(proxy: ProxyHandle, host: string, port: number): Promise<ProxyAddress> {
  try {
    return await proxy.listen();
  } catch (error) {
    if (!isVaultProxyError(error, 'PORT_IN_USE')) throw error;
    const taken = typeof error.details.port === 'number' ? error.details.port : port;
    throw await explainPortInUse(taken, host, error);
  }
}

/** The one-line description of a listening proxy: address → upstream (and the dialled address). */
export function describeRoute(address: ProxyAddress, resolved: ResolvedProxyOptions): string {
  const { connectTo, upstream } = resolved.connection;
  const via = connectTo ? ` (via ${connectTo.host}:${connectTo.port})` : '';
  return `${address.url} → ${upstream.origin}${via}`;
}

/**
 * Serve until SIGINT/SIGTERM: record the pid file, run `ready`, wait,
 * close gracefully and remove the pid file (only while it still names us).
 * When anything before the signal fails, the proxy is closed the same way.
 */
export async function serveUntilSignal(
  proxy: ProxyHandle,
  resolved: ResolvedProxyOptions,
  pidFile: string,
  ready: (address: ProxyAddress, stopping: () => boolean) => void | Promise<void>,
): Promise<void> {
  const signal = stopSignal();
  let stopped = false;
  void signal.then(() => {
    stopped = true;
  });
  const address = await listenExplained(proxy, resolved.host, resolved.port);
  try {
    await writePidFile(pidFile, {
      pid: process.pid,
      host: address.host,
      port: address.port,
      url: address.url,
      upstream: resolved.connection.upstream.origin,
    });
    await ready(address, () => stopped);
    await signal;
  } finally {
    try {
      await proxy.close();
    } finally {
      await removePidFile(pidFile, process.pid);
    }
  }
}
