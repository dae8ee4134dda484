/**
 * The agent console (helpdesk/console/, built by Vite into helpdesk/public/) served at `/`:
 * index.html never cached, hashed assets cached for a year, with a strict Content-Security-Policy
 * (own origin only: no inline script, no CDN). When the console has not been built, `/` answers 503
 * with the command that builds it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { AppError } from '../../errors';

/** Where the built console lives (helpdesk/public). */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));

const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  mediaSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/**
 * Registers the console's static files, after every other route (only what no route answered
 * reaches them). @param root the built console's folder.
 */
export function registerConsoleRoutes(app: Express, root = CONSOLE_DIR): void {
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', () => {
      throw new AppError(
        'unavailable',
        'the agent console is not built: run `npm run build:console -w helpdesk`',
      );
    });
    return;
  }
  // The console's pages allow their own origin only: no inline script, no CDN.
  const pagePolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: CONTENT_SECURITY_POLICY,
  });
  app.use(
    (request, response, next) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return next();
      pagePolicy(request, response, next);
    },
    express.static(root, {
      index: ['index.html'],
      dotfiles: 'deny',
      etag: true,
      cacheControl: false,
      // A folder without its slash is a path no route has: 404, not a redirect.
      redirect: false,
      setHeaders(response, path) {
        response.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
}
