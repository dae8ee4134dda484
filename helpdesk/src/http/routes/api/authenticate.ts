/**
 * Who a request to the agents' API comes from: a session token in `Authorization: Bearer <token>`
 * (API clients), or in the `helpdesk_session` cookie the login sets (the console, whose images,
 * audio and event stream cannot send headers). The cookie is HttpOnly and SameSite=Strict, and a
 * change (POST, PUT, PATCH, DELETE) authenticated by cookie also needs an `X-Requested-With`
 * header, which no cross-site form can send (CSRF).
 */
import type { Request, Response } from 'express';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import { authenticate } from '../../../use-cases/auth/authenticate';
import type { SessionAgent } from '../../../use-cases/auth/session-token';

export const SESSION_COOKIE = 'helpdesk_session';
/** The path the session cookie is sent on: the API only. */
export const SESSION_COOKIE_PATH = '/api';

/**
 * @returns the signed-in agent.
 * @throws AppError unauthorized (no, unknown or expired token); forbidden (cookie without
 *   X-Requested-With on a change).
 */
export async function authenticateRequest(context: Context, request: Request): Promise<SessionAgent> {
  const header = request.headers.authorization;
  const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  if (header && !bearer) {
    throw new AppError(
      'unauthorized',
      'authorization: use "Authorization: Bearer <token>" from POST /api/auth/login',
    );
  }
  const cookie = bearer
    ? undefined
    : (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  const token = bearer ?? cookie;
  if (!token) {
    throw new AppError('unauthorized', 'authorization: sign in with POST /api/auth/login and send the token');
  }
  const agent = await authenticate(context.pool, token);
  if (!agent)
    throw new AppError('unauthorized', 'authorization: the session is unknown or has expired; sign in again');
  if (cookie && !['GET', 'HEAD'].includes(request.method) && !request.headers['x-requested-with']) {
    throw new AppError('forbidden', 'x-requested-with: changes authenticated by cookie need this header');
  }
  return agent;
}

/** Sets the session cookie on a login answer. */
export function setSessionCookie(
  context: Context,
  request: Request,
  response: Response,
  token: string,
  expiresAt: Date,
): void {
  const mode = context.config.agentsApi.cookieSecure;
  response.cookie(SESSION_COOKIE, token, {
    path: SESSION_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure: mode === 'auto' ? request.protocol === 'https' : mode === 'true',
    expires: expiresAt,
  });
}

/** Removes the session cookie (logout). */
export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: SESSION_COOKIE_PATH });
}
