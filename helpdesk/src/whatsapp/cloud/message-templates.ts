/**
 * Reads a WhatsApp Business Account's message templates from the Graph API (Meta, "WhatsApp
 * Business Account — Message Templates" reference,
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/):
 * `GET /{version}/{waba-id}/message_templates?fields=name,language,category,status,components&limit=100`
 * answers `{ data: [{ name, language, category, status, components, id }], paging: { cursors:
 * { before, after }, next? } }` (Graph API, "Paginated results": `next` is absent on the last page).
 */
import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { GraphClient } from './graph-client';

/** Templates asked for per page (Meta's default page is 25). */
export const TEMPLATES_PAGE_SIZE = 100;
/** Pages followed at most (10 000 templates): a loop of `next` links cannot run forever. */
export const TEMPLATES_MAX_PAGES = 100;

const pageSchema = z.object({
  data: z.array(
    z
      .object({
        name: z.string().min(1),
        language: z.string().min(1),
        category: z.string().default(''),
        status: z.string().default(''),
        components: z.array(z.object({ type: z.string() }).loose()).default([]),
      })
      .loose(),
  ),
  paging: z.object({ next: z.string().optional() }).loose().optional(),
});

/** One template as Meta lists it. */
export interface GraphTemplate {
  name: string;
  language: string;
  category: string;
  status: string;
  components: Array<Record<string, unknown>>;
}

/**
 * Every template of the account, following `paging.next` — only to URLs under the channel's own
 * Graph API address (`graph.graphUrl`): a link elsewhere is refused, the token never leaves.
 * @throws ProviderError: Meta's error (graph-errors.ts), an unreadable page, or a `next` link on
 *   another host.
 */
export async function fetchMessageTemplates(
  graph: GraphClient,
  businessAccountId: string,
): Promise<GraphTemplate[]> {
  const templates: GraphTemplate[] = [];
  let path: string | null =
    `/${encodeURIComponent(businessAccountId)}/message_templates` +
    `?fields=name,language,category,status,components&limit=${TEMPLATES_PAGE_SIZE}`;
  for (let page = 0; path !== null; page += 1) {
    if (page >= TEMPLATES_MAX_PAGES) {
      throw new ProviderError(`Cloud API message_templates: more than ${TEMPLATES_MAX_PAGES} pages`, false);
    }
    const parsed = pageSchema.safeParse(await graph.json('GET', path));
    if (!parsed.success) {
      throw new ProviderError(
        'Cloud API GET message_templates: the answer is not a list of templates',
        false,
      );
    }
    for (const item of parsed.data.data) {
      templates.push({
        name: item.name,
        language: item.language,
        category: item.category,
        status: item.status,
        components: item.components,
      });
    }
    path = parsed.data.paging?.next ? pathOnGraph(graph.graphUrl, parsed.data.paging.next) : null;
  }
  return templates;
}

/**
 * The path after `<base URL>/<version>` of a `next` link.
 * @throws ProviderError (not retryable) when the link is not under `graphUrl`.
 */
function pathOnGraph(graphUrl: string, next: string): string {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw new ProviderError('Cloud API message_templates: paging.next is not a URL', false);
  }
  const base = new URL(graphUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${prefix}/`)) {
    throw new ProviderError(
      `Cloud API message_templates: paging.next points to ${url.origin}, not the channel's Graph API host; not followed`,
      false,
    );
  }
  // The access token travels in the header only: one in the link's query is dropped.
  url.searchParams.delete('access_token');
  return `${url.pathname.slice(prefix.length)}${url.search}`;
}
