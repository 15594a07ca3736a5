import { randomBytes } from 'node:crypto';

/** A zod-like validation issue, as Infisical returns them in a 422 `message` array. */
export interface ValidationIssue {
  readonly code: string;
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
  readonly [extra: string]: unknown;
}

/**
 * An error the fake Infisical answers with. Carries exactly what the real error handler
 * (backend/src/server/plugins/error-handler.ts) serialises: status, `error` name, `message`
 * (a string, or the issue array of a 422) and optional `details`.
 * @internal
 */
export class InfisicalError extends Error {
  readonly statusCode: number;
  readonly errorName: string;
  readonly payload: string | readonly ValidationIssue[];
  readonly details: unknown;

  constructor(statusCode: number, errorName: string, payload: string | readonly ValidationIssue[], details?: unknown) {
    super(typeof payload === 'string' ? payload : 'Validation failed');
    this.name = 'InfisicalError';
    this.statusCode = statusCode;
    this.errorName = errorName;
    this.payload = payload;
    this.details = details;
  }

  /** The JSON body Infisical sends for this error. */
  toBody(reqId: string): Record<string, unknown> {
    const body: Record<string, unknown> = { reqId, statusCode: this.statusCode, message: this.payload, error: this.errorName };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Fastify-style request id, as Infisical generates them (`req-` + 14 alphanumerics). @internal */
export function newRequestId(): string {
  return `req-${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 14)}`;
}

/** 400 BadRequest (also every "already exists" conflict — Infisical never answers 409). @internal */
export const badRequest = (message = 'The request is invalid', name = 'BadRequest') => new InfisicalError(400, name, message);

/** 401 UnauthorizedError. @internal */
export const unauthorized = (message = 'You are not allowed to access this resource', name = 'UnauthorizedError') =>
  new InfisicalError(401, name, message);

/** 403 ForbiddenError (ForbiddenRequestError and friends). @internal */
export const forbidden = (message = 'You are not allowed to access this resource', name = 'ForbiddenError', details?: unknown) =>
  new InfisicalError(403, name, message, details);

/** 403 PermissionDenied, the CASL failure; `details` are the caller's rules for that action and subject. @internal */
export const permissionDenied = (action: string, subject: string, details: unknown[]) =>
  new InfisicalError(403, 'PermissionDenied', `You are not allowed to ${action} on ${subject}`, details);

/** 403 TokenError (jsonwebtoken failures). @internal */
export const tokenError = (message: string) => new InfisicalError(403, 'TokenError', message);

/** 404 with Infisical's default or a custom error name. @internal */
export const notFound = (message = 'The requested entity is not found', name = 'NotFound') => new InfisicalError(404, name, message);

/** 422 ValidationFailure with a zod-like issue array. @internal */
export const validationFailure = (issues: readonly ValidationIssue[]) => new InfisicalError(422, 'ValidationFailure', issues);

/** The error an injected fault answers with: Infisical's body for that status. @internal */
export function errorForStatus(status: number): InfisicalError {
  switch (status) {
    case 400:
      return badRequest();
    case 401:
      return unauthorized();
    case 403:
      return forbidden();
    case 404:
      return notFound();
    case 422:
      return validationFailure([{ code: 'custom', path: [], message: 'Injected validation failure' }]);
    case 429:
      return new InfisicalError(429, 'RateLimitExceeded', 'Rate limit exceeded. Please try again in 60 seconds');
    case 504:
      return new InfisicalError(504, 'GatewayTimeoutError', 'Gateway timeout');
    default:
      return status >= 500
        ? new InfisicalError(status, 'InternalServerError', 'Something went wrong')
        : new InfisicalError(status, 'BadRequest', 'The request is invalid');
  }
}
