/**
 * `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/session`: agents sign in with
 * email and password (rate-limited per client address and email) and get an expiring session token.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import { endSession, login } from '../../../services/auth';
import type { ApiRouter } from './api-route';
import { clearSessionCookie, setSessionCookie } from './authenticate';
import { loginView, sessionAgentView } from './views';

const loginBody = z.object({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(200),
});

/** The rate-limit check fastify's `createRateLimit` returns (the fields used here). */
export type RateCheck = (
  request: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/** Registers the auth routes. @param checkLoginRate counts a login attempt of this request. */
export function registerAuthRoutes(router: ApiRouter, context: Context, checkLoginRate: RateCheck): void {
  router.add({
    method: 'POST',
    url: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password',
    description:
      'Answers a session token (also set as the HttpOnly `helpdesk_session` cookie for the console). ' +
      'Attempts are limited per client address and email (LOGIN_RATE_LIMIT_PER_MINUTE); more answer 429.',
    auth: 'public',
    body: loginBody,
    response: loginView,
    errors: [429],
    async handler({ body, request, reply }) {
      const limit = await checkLoginRate(request);
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', String(limit.ttlInSeconds ?? 60));
        throw new AppError(
          'too_many_requests',
          'email: too many sign-in attempts; wait a minute and try again',
        );
      }
      const result = await login(context.db, body, context.config.agentsApi.sessionTtlMs);
      setSessionCookie(context, request, reply, result.token, result.expiresAt);
      return result;
    },
  });

  router.add({
    method: 'POST',
    url: '/api/auth/logout',
    tag: 'auth',
    summary: 'Sign out (ends this session)',
    auth: 'agent',
    status: 204,
    async handler({ agent, reply }) {
      await endSession(context.db, agent.sessionId);
      clearSessionCookie(reply);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/auth/session',
    tag: 'auth',
    summary: 'The signed-in agent and when the session ends',
    auth: 'agent',
    response: sessionAgentView,
    async handler({ agent }) {
      return agent;
    },
  });
}
