/**
 * `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/session`: agents sign in with
 * email and password (rate-limited per client address, and per address and email) and get an
 * expiring session token. `POST /api/auth/password`: an agent changes their own password.
 */
import type { Request, Response } from 'express';
import {
  loginBodySchema,
  loginSchema,
  passwordChangeBodySchema,
  sessionAgentSchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import { changeOwnPassword } from '../../../use-cases/auth/change-own-password';
import { login } from '../../../use-cases/auth/sign-in';
import { endSession } from '../../../use-cases/auth/sign-out';
import type { ApiRouter } from './api-route';
import { clearSessionCookie, setSessionCookie } from './authenticate';
import { toJson } from './views';

/** Counts one login attempt against a limit: allowed, or refused with the seconds until it resets. */
export type RateCheck = (
  request: Request,
  response: Response,
) => Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;

/**
 * Counts a login attempt against each limit in turn.
 * @throws AppError too_many_requests (429, with Retry-After) at the first limit exceeded.
 */
async function enforceLoginLimits(checks: RateCheck[], request: Request, response: Response) {
  for (const check of checks) {
    const limit = await check(request, response);
    if (!limit.allowed) {
      response.setHeader('retry-after', String(limit.retryAfterSeconds));
      throw new AppError(
        'too_many_requests',
        'email: too many sign-in attempts; wait a minute and try again',
      );
    }
  }
}

/**
 * Registers the auth routes.
 * @param loginLimits each counts a login attempt of this request (per address; per address and email).
 */
export function registerAuthRoutes(router: ApiRouter, context: Context, loginLimits: RateCheck[]): void {
  router.add({
    method: 'POST',
    url: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password',
    description:
      'Answers a session token (also set as the HttpOnly `helpdesk_session` cookie for the console). ' +
      'Attempts are limited per client address (LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE) and per address ' +
      'and email (LOGIN_RATE_LIMIT_PER_MINUTE); more answer 429.',
    auth: 'public',
    body: loginBodySchema,
    response: loginSchema,
    errors: [429],
    async handler({ body, request, response }) {
      await enforceLoginLimits(loginLimits, request, response);
      const result = await login(context.db, body, context.config.agentsApi.sessionTtlMs);
      setSessionCookie(context, request, response, result.token, result.expiresAt);
      return toJson(result);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/auth/logout',
    tag: 'auth',
    summary: 'Sign out (ends this session)',
    auth: 'agent',
    status: 204,
    async handler({ agent, response }) {
      await endSession(context.db, agent.sessionId);
      clearSessionCookie(response);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/auth/session',
    tag: 'auth',
    summary: 'The signed-in agent and when the session ends',
    auth: 'agent',
    response: sessionAgentSchema,
    async handler({ agent }) {
      return toJson(agent);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/auth/password',
    tag: 'auth',
    summary: 'Change own password (the current one is required)',
    description:
      'Ends every other session of the agent; this one stays signed in. 403 when currentPassword is ' +
      'wrong (attempts count against the sign-in limits); 400 naming newPassword when it is too weak.',
    auth: 'agent',
    body: passwordChangeBodySchema,
    status: 204,
    errors: [429],
    async handler({ agent, body, request, response }) {
      // Guessing the current password through a stolen session is limited like sign-ins.
      await enforceLoginLimits(loginLimits, request, response);
      await changeOwnPassword(context.db, agent, body);
    },
  });
}
