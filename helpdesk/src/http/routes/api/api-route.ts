/**
 * How the agents' API declares a route: method, URL, who may call it, zod schemas for params,
 * query and body kept beside the handler, and what it answers. `ApiRouter.add` registers the
 * Express route with one pipeline (authenticate on the matched route, then reject malformed JSON,
 * then validate with errors naming the field, then the handler) and records the declaration for
 * the OpenAPI document (openapi.ts), so documentation and behaviour come from one place.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Context } from '../../../context';
import { AppError, validationError } from '../../../errors';
import type { SessionAgent } from '../../../services/auth';
import { INVALID_JSON, jsonBody } from '../../body';
import { authenticateRequest } from './authenticate';
/** public: anyone; agent: any signed-in agent; admin: signed-in admins only. */
export type RouteAuth = 'public' | 'agent' | 'admin';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<P, Q, B, A extends RouteAuth> {
  params: P;
  query: Q;
  body: B;
  /** The signed-in agent (null on public routes). */
  agent: A extends 'public' ? null : SessionAgent;
  request: Request;
  response: Response;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends RouteAuth = RouteAuth,
> {
  method: Method;
  /** Express path syntax, e.g. `/api/tickets/:id`. */
  url: string;
  /** OpenAPI tag (the resource). */
  tag: string;
  summary: string;
  description?: string;
  auth: A;
  params?: P;
  query?: Q;
  /** JSON body schema. */
  body?: B;
  /** Documentation of a multipart/form-data body (the handler reads the parts itself). */
  multipart?: { schema: Record<string, unknown>; description: string };
  /** Success status (default 200). */
  status?: number;
  /** Schema of the success body (documentation; tests check answers against it). */
  response?: z.ZodType;
  /** Content type of the success body when not JSON, e.g. `text/event-stream`. */
  produces?: string;
  /** Error statuses worth documenting besides 400/401/403 that every route may answer. */
  errors?: number[];
  /**
   * Handles a validated request.
   * @returns the JSON body (sent with `status`), undefined for an empty answer, or the response when
   *   the handler answered itself.
   */
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>, A>): Promise<unknown>;
}

/** Registers API routes and remembers their declarations. */
export class ApiRouter {
  readonly specs: RouteSpec[] = [];
  private readonly readJson: ReturnType<typeof jsonBody>;

  /**
   * @param router the Express router the API lives in (with cookies parsed).
   * @param context the process's shared parts (database for authentication, body size cap).
   */
  constructor(
    private readonly router: Router,
    private readonly context: Context,
  ) {
    this.readJson = jsonBody(context.config.webhook.maxBytes);
  }

  /** Declares and registers one route. */
  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends RouteAuth>(
    spec: RouteSpec<P, Q, B, A>,
  ): void {
    this.specs.push(spec as unknown as RouteSpec);
    const context = this.context;
    const method = spec.method.toLowerCase() as Lowercase<Method>;
    this.router[method](spec.url, this.readJson, async (request: Request, response: Response) => {
      // Authentication belongs to the route Express matched, never to a reading of the raw URL.
      const agent = spec.auth === 'public' ? null : await authenticateRequest(context, request);
      if (spec.auth === 'admin' && agent?.role !== 'admin') {
        throw new AppError('forbidden', 'role: this needs an admin');
      }
      if (request.body === INVALID_JSON) throw new AppError('bad_request', 'body is not valid JSON');
      const params = parse(spec.params, request.params);
      const query = parse(spec.query, request.query);
      const body = spec.body ? parse(spec.body, request.body ?? {}) : undefined;
      const result = await spec.handler({
        params,
        query,
        body,
        agent: agent as RouteInput<unknown, unknown, unknown, A>['agent'],
        request,
        response,
      } as RouteInput<z.output<P>, z.output<Q>, z.output<B>, A>);
      if (result === response || response.headersSent) return;
      if (result === undefined) {
        response.status(spec.status ?? 204).end();
        return;
      }
      response.status(spec.status ?? 200).json(result);
    });
  }
}

/**
 * Validates a value with a route's schema.
 * @throws AppError validation_failed naming each failing field.
 */
export function parse<T extends z.ZodType>(schema: T | undefined, value: unknown): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A UUID path parameter, e.g. `{ id }`, whose error names the parameter. */
export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

/** Query-string list: `a,b` or repeated `?x=a&x=b`. */
export function listParam<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value]).flatMap((entry) =>
            String(entry)
              .split(',')
              .map((part) => part.trim())
              .filter(Boolean),
          ),
    z.array(item).optional(),
  );
}
