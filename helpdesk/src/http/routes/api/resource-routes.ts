/**
 * The four routes of a resource admins keep and agents may list (teams, labels): `GET <url>`,
 * `POST <url>` (201), `PATCH <url>/:id` and `DELETE <url>/:id` (204, 404 when there is none),
 * declared once so each resource names only its words, schemas and use cases.
 */
import type { z } from 'zod';
import { idParams, type ApiRouter, type RouteResult } from './api-route';

/** What one of the resource's routes says in the OpenAPI document besides its schemas. */
interface RouteWords {
  summary: string;
  description?: string;
  /** Error statuses besides 400/401/403 (the PATCH and DELETE routes always document 404). */
  errors?: number[];
}

/**
 * @param router the API router.
 * @param resource `url` e.g. `/api/teams`; `tag` its OpenAPI tag; `item`, `list`, `create` and
 *   `changes` the contract's schemas of one item, the list answer, the POST body and the PATCH body;
 *   each route's words and handler (`id`: the UUID from the path).
 */
export function addResourceRoutes<
  Item extends z.ZodType,
  List extends z.ZodType,
  Create extends z.ZodType,
  Changes extends z.ZodType,
>(
  router: ApiRouter,
  resource: {
    url: string;
    tag: string;
    item: Item;
    list: RouteWords & { schema: List; handler(): Promise<RouteResult<List>> };
    create: RouteWords & { schema: Create; handler(body: z.output<Create>): Promise<RouteResult<Item>> };
    update: RouteWords & {
      schema: Changes;
      handler(id: string, body: z.output<Changes>): Promise<RouteResult<Item>>;
    };
    remove: RouteWords & { handler(id: string): Promise<void> };
  },
): void {
  const { url, tag, item, list, create, update, remove } = resource;
  router.add({
    method: 'GET',
    url,
    tag,
    summary: list.summary,
    description: list.description,
    auth: 'agent',
    response: list.schema,
    errors: list.errors,
    handler: () => list.handler(),
  });
  router.add({
    method: 'POST',
    url,
    tag,
    summary: create.summary,
    description: create.description,
    auth: 'admin',
    body: create.schema,
    status: 201,
    response: item,
    errors: create.errors,
    handler: ({ body }) => create.handler(body),
  });
  router.add({
    method: 'PATCH',
    url: `${url}/:id`,
    tag,
    summary: update.summary,
    description: update.description,
    auth: 'admin',
    params: idParams,
    body: update.schema,
    response: item,
    errors: [404, ...(update.errors ?? [])],
    handler: ({ params, body }) => update.handler(params.id, body),
  });
  router.add({
    method: 'DELETE',
    url: `${url}/:id`,
    tag,
    summary: remove.summary,
    description: remove.description,
    auth: 'admin',
    params: idParams,
    status: 204,
    errors: [404, ...(remove.errors ?? [])],
    handler: ({ params }) => remove.handler(params.id),
  });
}
