/**
 * The agent console (helpdesk/console/, built by Vite into helpdesk/public/) served at `/`:
 * index.html never cached, hashed assets cached for a year, with a strict Content-Security-Policy
 * (own origin only: no inline script, no CDN). When the console has not been built, `/` answers 503
 * with the command that builds it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors';

/** Where the built console lives (helpdesk/public). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Registers the console's static files (its own scope). @param root the built console's folder. */
export function registerConsoleRoutes(app: FastifyInstance, root = CONSOLE_DIR): void {
  app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        reply.header('x-frame-options', 'DENY');
        reply.header('referrer-policy', 'no-referrer');
      }
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
    if (!existsSync(`${root}/index.html`)) {
      scope.get('/', async () => {
        throw new AppError(
          'unavailable',
          'the agent console is not built: run `npm run build:console -w helpdesk`',
        );
      });
      return;
    }
    await scope.register(fastifyStatic, {
      root,
      index: ['index.html'],
      dotfiles: 'deny',
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  });
}
