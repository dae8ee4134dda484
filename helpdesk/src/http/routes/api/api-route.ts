/**
 * How the agents' API declares a route: method, URL, who may call it, zod schemas for params,
 * query and body kept beside the handler, and what it answers. `ApiRouter.add` registers the
 * Express route with one pipeline (authenticate on the matched route, then reject malformed JSON,
 * then validate with errors naming the field, then the handler) and records the declaration for
 * the OpenAPI document (openapi.ts), so documentation and behaviour come from one place.
 */
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { Context } from '../../../context';
import { AppError, validationError } from '../../../errors';
import { runAsAuditActor } from '../../../use-cases/audit/record-audit';
import type { SessionAgent } from '../../../use-cases/auth/session-token';
import type { ApiKeyRow } from '../../../store/integrations';
import { authenticateApiKey } from '../../../use-cases/integrations/authenticate-api-key';
import type { ApiKeyScope } from '@whatsapp-helpdesk/contract/api';
import { INVALID_JSON, jsonBody } from '../../body';
import { authenticateRequest } from './authenticate';
/**
 * public: anyone; agent: any signed-in agent; admin: signed-in admins only; integration: an
 * integration API key (`Bearer hk_…`) with the route's `scope`, never an agent's session (issue 17).
 */
export type RouteAuth = 'public' | 'agent' | 'admin' | 'integration';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<P, Q, B, A extends RouteAuth> {
  params: P;
  query: Q;
  body: B;
  /** The signed-in agent (null on public routes). */
  agent: A extends 'public' | 'integration' ? null : SessionAgent;
  /** The integration API key (integration routes only, else null). */
  apiKey: A extends 'integration' ? ApiKeyRow : null;
  request: Request;
  response: Response;
}

/**
 * What a handler may return: the JSON body its response schema describes (typed by the contract),
 * nothing (an empty answer), or the response when it answered itself.
 */
export type RouteResult<R extends z.ZodType> = z.input<R> | Response | undefined | void;

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  A extends RouteAuth = RouteAuth,
  R extends z.ZodType = z.ZodUndefined,
> {
  method: Method;
  /** Express path syntax, e.g. `/api/tickets/:id`. */
  url: string;
  /** OpenAPI tag (the resource). */
  tag: string;
  summary: string;
  description?: string;
  auth: A;
  /** The API key scope an integration route needs. */
  scope?: ApiKeyScope;
  params?: P;
  query?: Q;
  /** JSON body schema. */
  body?: B;
  /**
   * A multipart/form-data body (documentation: the handler reads the parts itself). Besides it,
   * a POST without `body` also documents `alternativeJson` as its JSON body.
   */
  multipart?: { schema: z.ZodObject; description: string; alternativeJson?: z.ZodObject };
  /** Success status (default 200). */
  status?: number;
  /**
   * Schema of the success body (a contract schema): it types the handler's result, documents the
   * answer and is what the tests check answers against.
   */
  response?: R;
  /** Content type of the success body when not JSON, e.g. `text/event-stream`. */
  produces?: string;
  /** Error statuses worth documenting besides 400/401/403 that every route may answer. */
  errors?: number[];
  /**
   * Handles a validated request.
   * @returns the JSON body (sent with `status`), undefined for an empty answer, or the response when
   *   the handler answered itself.
   */
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>, A>): Promise<RouteResult<R>>;
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
    /** The Express router the routes are registered on (also for static files). */
    readonly router: Router,
    private readonly context: Context,
  ) {
    this.readJson = jsonBody(context.config.webhook.maxBytes);
  }

  /** Declares and registers one route. */
  add<
    P extends z.ZodType,
    Q extends z.ZodType,
    B extends z.ZodType,
    A extends RouteAuth,
    R extends z.ZodType = z.ZodUndefined,
  >(spec: RouteSpec<P, Q, B, A, R>): void {
    this.specs.push(spec as unknown as RouteSpec);
    const context = this.context;
    const method = spec.method.toLowerCase() as Lowercase<Method>;
    this.router[method](spec.url, this.readJson, async (request: Request, response: Response) => {
      // Authentication belongs to the route Express matched, never to a reading of the raw URL.
      const apiKey =
        spec.auth === 'integration'
          ? await authenticateApiKey(context, request.headers.authorization, spec.scope ?? 'messages:send')
          : null;
      const agent =
        spec.auth === 'public' || spec.auth === 'integration'
          ? null
          : await authenticateRequest(context, request);
      if (spec.auth === 'admin' && agent?.role !== 'admin') {
        throw new AppError('forbidden', 'role: this needs an admin');
      }
      if (request.body === INVALID_JSON) throw new AppError('bad_request', 'body is not valid JSON');
      const params = parse(spec.params, request.params);
      const query = parse(spec.query, request.query);
      const body = spec.body ? parse(spec.body, request.body ?? {}) : undefined;
      // The signed-in agent is the actor of the audit events the handler's use cases record.
      const result = await runAsAuditActor(agent?.id ?? null, request.log, () =>
        spec.handler({
          params,
          query,
          body,
          agent: agent as RouteInput<unknown, unknown, unknown, A>['agent'],
          apiKey: apiKey as RouteInput<unknown, unknown, unknown, A>['apiKey'],
          request,
          response,
        } as RouteInput<z.output<P>, z.output<Q>, z.output<B>, A>),
      );
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

/** A UUID path parameter, e.g. `{ id }` (the contract's), whose error names the parameter. */
export { idParamsSchema as idParams, listParam } from '@whatsapp-helpdesk/contract/api';
