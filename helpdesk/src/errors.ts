/**
 * One error type for the helpdesk with string codes, and one map from code to HTTP status, used
 * by the HTTP error handler, the workers and the CLI alike.
 */

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  provider_error: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  /**
   * @param code one of ERROR_STATUS's keys; decides the HTTP status.
   * @param message a sentence for the client that names the field and the problem.
   * @param details optional structured detail (for example the failing fields).
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/**
 * A provider refused or failed a send. `retryable` says whether trying again later may succeed
 * (rate limits, timeouts, 5xx) or not (invalid number, outside the customer-service window).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerCode?: string | number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** An inbound event the worker skips on purpose (logged, never retried), e.g. an invalid phone. */
export class SkipEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipEventError';
  }
}

/**
 * Turns a zod error into a 400 AppError whose message names each failing field by its path,
 * e.g. `message.from.phone: Invalid input: expected string, received number`.
 */
export function validationError(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): AppError {
  const fields = error.issues.slice(0, 10).map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    problem: issue.message,
  }));
  return new AppError(
    'validation_failed',
    fields.map((entry) => `${entry.field}: ${entry.problem}`).join('; '),
    { fields },
  );
}
