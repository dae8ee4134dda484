/**
 * One application error with a string code; the HTTP layer maps codes to statuses in one place.
 */

export const ERROR_STATUS = {
  unauthorized: 401,
  invalid_request: 400,
  invalid_recipient: 400,
  unknown_media_type: 400,
  payload_too_large: 413,
  not_found: 404,
  qr_not_available: 404,
  conflict: 409,
  not_connected: 503,
  send_failed: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure with a client-facing message that names the field and problem. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
