import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import type { CloudflareEdge } from '../cloudflare-gate.js';
import { badRequest, errorForStatus, InfisicalError, newRequestId, unauthorized, validationFailure } from '../errors.js';
import { decideFault, type FaultInjector } from '../fault-injector.js';
import { type Actor, authenticate } from '../model/access-tokens.js';
import type { VaultStore } from '../model/store.js';
import { FieldReader } from './validation.js';

/** What every handler module gets. @internal */
export interface HandlerContext {
  readonly store: VaultStore;
  readonly origin: string;
  readonly edge: CloudflareEdge;
  readonly faults: FaultInjector | undefined;
}

/** One parsed request, as a route resolver sees it. @internal */
export interface RouteRequest {
  readonly request: Request;
  readonly params: Readonly<Record<string, string>>;
  /** The query string, read with coercion (numbers and booleans arrive as text). */
  readonly query: FieldReader;
  readonly url: URL;
  /** The JSON body read as Infisical's zod schemas read it. */
  body(): Promise<FieldReader>;
  /** The identity behind the bearer token (401 "Token missing", 403 TokenError, ...). */
  actor(): Actor;
}

/** A resolver returns the 200 JSON body, or a full Response. @internal */
export type RouteResolver = (req: RouteRequest) => unknown | Promise<unknown>;

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete' | 'all';

async function readBody(request: Request): Promise<FieldReader> {
  const text = await request.text();
  if (text.trim() === '') return new FieldReader({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("Body is not valid JSON but content-type is set to 'application/json'", 'FST_ERR_CTP_INVALID_JSON_BODY');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationFailure([
      {
        code: 'invalid_type',
        expected: 'object',
        received: Array.isArray(parsed) ? 'array' : typeof parsed,
        path: [],
        message: 'Expected object',
      },
    ]);
  }
  return new FieldReader(parsed as Record<string, unknown>);
}

function bearerActor(store: VaultStore, request: Request): Actor {
  const header = request.headers.get('authorization');
  const [scheme, token] = (header ?? '').trim().split(/\s+/);
  if (!header || scheme?.toLowerCase() !== 'bearer' || !token) throw unauthorized('Token missing');
  return authenticate(store, token);
}

function errorResponse(err: unknown, reqId: string): Response {
  const known = err instanceof InfisicalError ? err : errorForStatus(500);
  return HttpResponse.json(known.toBody(reqId), { status: known.statusCode });
}

/**
 * Build one msw handler behind the edge: Cloudflare first (Bot Fight Mode, Access), then injected
 * faults, then the resolver; Infisical errors become their JSON bodies; Cloudflare relays the result.
 * @internal
 */
export function route(ctx: HandlerContext, method: Method, path: string, resolver: RouteResolver): HttpHandler {
  return http[method](`${ctx.origin}${path}`, async ({ request, params }) => {
    const refused = ctx.edge.admit(request);
    if (refused) return refused;
    const url = new URL(request.url);
    const reqId = newRequestId();
    const fault = decideFault(ctx.faults, request.method, url.pathname);
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.answer?.reset) return HttpResponse.error();
    if (fault.answer?.status !== undefined) {
      const { status, body } = fault.answer;
      return ctx.edge.relay(body !== undefined ? HttpResponse.json(body, { status }) : errorResponse(errorForStatus(status), reqId));
    }
    let response: Response;
    try {
      const out = await resolver({
        request,
        params: params as Record<string, string>,
        query: new FieldReader(Object.fromEntries(url.searchParams), true),
        url,
        body: () => readBody(request),
        actor: () => bearerActor(ctx.store, request),
      });
      response = out instanceof Response ? out : HttpResponse.json(out as Record<string, unknown>);
    } catch (err) {
      response = errorResponse(err, reqId);
    }
    return ctx.edge.relay(response);
  });
}
