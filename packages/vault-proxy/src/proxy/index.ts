// The request path's public face: what other folders (and the package root) may import from proxy/.
export { PROXY_ERROR_HEADER, proxyErrorStatus } from './answer.js';
export { createProxy, type ProxyAddress, type ProxyHandle } from './create-proxy.js';
export {
  createHeaderPolicy,
  downstreamResponseHeaders,
  type HeaderPolicy,
  isManagedRequestHeader,
  isUnderscoreLookalike,
  type RawHeaders,
  upstreamRequestHeaders,
} from './header-policy.js';
export { redactHeaders } from './header-redaction.js';
export { LOCAL_PREFIX, type ProxyHealth } from './local-endpoints.js';
export { type ProxyOptions, type ResolvedProxyOptions, resolveProxyOptions } from './proxy-options.js';
