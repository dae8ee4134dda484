/**
 * A stand-in for Meta's Graph API (WhatsApp Cloud API) on loopback, checking each request as Meta
 * documents it and answering with Meta's documented shapes:
 * - every call: path `/<version>/…` with the configured version, `Authorization: Bearer <token>`
 *   (else 401 with error 190, as Meta answers an invalid token);
 * - `POST /<version>/<phone number id>/messages` ("Messages" reference): `messaging_product`,
 *   `recipient_type`, `to` or `recipient`, the type's object (text with `body` ≤ 4096 and
 *   `preview_url`; media by `id`; interactive list within the "Interactive list messages" limits);
 *   answers `{ messaging_product, contacts: [{ input, wa_id | user_id }], messages: [{ id: wamid }] }`;
 *   a request that breaks a rule answers error 100 and is recorded in `violations`;
 * - `POST /<version>/<phone number id>/media` (multipart `messaging_product`, `type`, `file`) → `{ id }`;
 * - `GET /<version>/<media id>` → `{ messaging_product, url, mime_type, sha256, file_size, id }`,
 *   and the `url` (bearer required) serves the bytes; an id in `expireDownloads` answers 404 once
 *   on its URL, as an expired URL does;
 * - `GET /<version>/<phone number id>?fields=…` → the phone number's fields (those asked for, and
 *   `id`); another id answers error 100 "Object with ID … does not exist" (HTTP 400), as Meta does.
 * - `GET /<version>/<waba id>/message_templates?fields=…&limit=N[&after=cursor]` (Meta, "WhatsApp
 *   Business Account — Message Templates" reference,
 *   https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/)
 *   → `{ data: [{ name, language, category, status, components, id }], paging: { cursors: { before,
 *   after }, next? } }`, `templatePageSize` per page at most (Graph API "Paginated results");
 * - a `type: "template"` send (Meta, "Send message templates") is checked against the templates in
 *   `templates`: an unknown name/language answers 132001 "Template name does not exist in the
 *   translation", a parameter count that differs from the template's `{{n}}` answers 132000
 *   "Number of parameters does not match the expected number of params" (Meta, "Error codes").
 * Errors are Meta's body: `{ error: { message, type, code, error_data: { messaging_product, details },
 * fbtrace_id } }`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphSend {
  /** The phone number id in the path. */
  phoneNumberId: string;
  to?: string;
  recipient?: string;
  type: string;
  /** The JSON body as sent. */
  body: Record<string, unknown>;
  /** The wamid answered (absent when an error was answered). */
  wamid?: string;
  /** Meta's error code answered, if any. */
  errorCode?: number;
}

export interface GraphError {
  /** HTTP status of the answer (Meta answers 400 for most, 429 or 5xx for some). */
  status: number;
  code: number;
  title: string;
  details: string;
}

export interface StandInGraphApi {
  url: string;
  version: string;
  token: string;
  phoneNumberId: string;
  /** Every `POST /messages`, in order. */
  sends: GraphSend[];
  /** Every request as `METHOD /path` (query left out), in order. */
  requests: string[];
  /** Broken rules of Meta's documentation found in requests; a test expects it empty. */
  violations: string[];
  /** Media served by `GET /<media id>`, by id. */
  media: Map<string, { body: Buffer; mimeType: string }>;
  /** Media uploaded through `POST /media`, by the id answered. */
  uploads: Map<string, { body: Buffer; mimeType: string; filename: string }>;
  /** Media ids whose download URL answers 404 once (an expired URL). */
  expireDownloads: Set<string>;
  /** Bytes the download URL serves instead of the media's (corruption on the way). */
  corruptDownloads: Map<string, Buffer>;
  /** Errors answered to the next sends, one per send, first first. */
  nextSendErrors: GraphError[];
  /** Errors answered to every send to this `to` or `recipient`. */
  errorsByRecipient: Map<string, GraphError>;
  /** The WhatsApp Business Account id whose `message_templates` are served. */
  businessAccountId: string;
  /** The account's templates, as Meta lists them (a test adds and changes them). */
  templates: StandInTemplate[];
  /** Templates per page at most (Meta's `limit`, when smaller, wins). */
  templatePageSize: number;
  /** Builds `paging.next` on this origin instead of the stand-in's own (a link elsewhere). */
  pagingOrigin: string | null;
  close(): Promise<void>;
}

/** A template as `GET /message_templates` lists it. */
export interface StandInTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: Array<Record<string, unknown>>;
}

/** Meta's documented example errors (Meta, "Error codes"). */
export const GRAPH_ERRORS = {
  outsideWindow: {
    status: 400,
    code: 131047,
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  rateLimit: {
    status: 400,
    code: 130429,
    title: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  },
  tooManyRequests: {
    status: 429,
    code: 4,
    title: 'Application request limit reached',
    details: 'The app has reached its API call rate limit.',
  },
  undeliverable: {
    status: 400,
    code: 131026,
    title: 'Message Undeliverable',
    details: 'Unable to deliver message. The recipient is not a WhatsApp user.',
  },
  invalidParameter: {
    status: 400,
    code: 100,
    title: 'Invalid parameter',
    details: 'Invalid parameter',
  },
  templateParameterCount: {
    status: 400,
    code: 132000,
    title: 'Number of parameters does not match the expected number of params',
    details: 'body: number of localizable_params (1) does not match the expected number of params (2)',
  },
  templateMissing: {
    status: 404,
    code: 132001,
    title: 'Template name does not exist in the translation',
    details: 'template name (order_ready) does not exist in en_US',
  },
} satisfies Record<string, GraphError>;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorBody(error: Omit<GraphError, 'status'>) {
  return {
    error: {
      message: `(#${error.code}) ${error.title}`,
      type: 'OAuthException',
      code: error.code,
      error_data: { messaging_product: 'whatsapp', details: error.details },
      fbtrace_id: `A${randomBytes(8).toString('hex')}`,
    },
  };
}

const chars = (value: unknown) => (typeof value === 'string' ? [...value].length : -1);

/** The rules of Meta's docs a `POST /messages` body breaks (empty when it follows them). */
export function checkMessageBody(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (body.messaging_product !== 'whatsapp') problems.push('messaging_product must be "whatsapp"');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    problems.push('recipient_type must be "individual"');
  }
  const to = body.to;
  const recipient = body.recipient;
  if (to === undefined && recipient === undefined) problems.push('to or recipient is required');
  if (to !== undefined && (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to))) {
    problems.push('to must be a phone number');
  }
  if (
    recipient !== undefined &&
    (typeof recipient !== 'string' || !/^[A-Z]{2}\.[A-Za-z0-9.]+$/.test(recipient))
  ) {
    problems.push('recipient must be a business-scoped user id');
  }
  if (body.context !== undefined) {
    const context = body.context as { message_id?: unknown };
    if (typeof context?.message_id !== 'string') problems.push('context.message_id must be a string');
  }
  const type = body.type;
  const content = typeof type === 'string' ? (body[type] as Record<string, unknown> | undefined) : undefined;
  if (!content || typeof content !== 'object') {
    problems.push(`the "${String(type)}" object is required`);
    return problems;
  }
  switch (type) {
    case 'text':
      if (chars(content.body) < 1 || chars(content.body) > 4096)
        problems.push('text.body must be 1..4096 characters');
      if (content.preview_url !== undefined && typeof content.preview_url !== 'boolean') {
        problems.push('text.preview_url must be a boolean');
      }
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      if (typeof content.id !== 'string' && typeof content.link !== 'string')
        problems.push(`${type}.id or link is required`);
      if ((type === 'audio' || type === 'sticker') && content.caption !== undefined) {
        problems.push(`${type} takes no caption`);
      }
      if (content.voice !== undefined && (type !== 'audio' || typeof content.voice !== 'boolean')) {
        problems.push('voice is a boolean of audio messages');
      }
      if (content.filename !== undefined && type !== 'document') problems.push('filename is for documents');
      break;
    case 'interactive': {
      if (content.type !== 'list') {
        problems.push('only interactive lists are expected from the helpdesk');
        break;
      }
      const bodyText = (content.body as { text?: unknown } | undefined)?.text;
      if (chars(bodyText) < 1 || chars(bodyText) > 4096)
        problems.push('interactive.body.text must be 1..4096 characters');
      const action = content.action as { button?: unknown; sections?: unknown } | undefined;
      if (chars(action?.button) < 1 || chars(action?.button) > 20) {
        problems.push('interactive.action.button must be 1..20 characters');
      }
      const sections = Array.isArray(action?.sections)
        ? (action.sections as Array<Record<string, unknown>>)
        : [];
      if (sections.length < 1 || sections.length > 10) problems.push('1..10 sections');
      if (sections.length > 1 && sections.some((section) => chars(section.title) < 1)) {
        problems.push('section titles are required with more than one section');
      }
      const rows = sections.flatMap((section) =>
        Array.isArray(section.rows) ? (section.rows as Array<Record<string, unknown>>) : [],
      );
      if (rows.length < 1 || rows.length > 10) problems.push('1..10 rows across all sections');
      const ids = new Set<unknown>();
      for (const row of rows) {
        if (chars(row.id) < 1 || chars(row.id) > 200) problems.push('row id must be 1..200 characters');
        if (ids.has(row.id)) problems.push('row ids must be unique');
        ids.add(row.id);
        if (chars(row.title) < 1 || chars(row.title) > 24)
          problems.push(`row title "${String(row.title)}" must be 1..24 characters`);
        if (row.description !== undefined && chars(row.description) > 72)
          problems.push('row description must be ≤ 72 characters');
      }
      break;
    }
    case 'template': {
      // Meta, "Send message templates": name, language.code, optional components of header/body/button
      // each with parameters; a text parameter is { type: "text", text } (parameter_name when named).
      if (chars(content.name) < 1 || chars(content.name) > 512) problems.push('template.name is required');
      const language = content.language as { code?: unknown; policy?: unknown } | undefined;
      if (chars(language?.code) < 2) problems.push('template.language.code is required');
      if (language?.policy !== undefined && language.policy !== 'deterministic')
        problems.push('template.language.policy must be "deterministic"');
      if (content.components !== undefined) {
        if (!Array.isArray(content.components) || content.components.length === 0) {
          problems.push('template.components must be a non-empty array when given');
          break;
        }
        for (const component of content.components as Array<Record<string, unknown>>) {
          if (!['header', 'body', 'button'].includes(String(component.type)))
            problems.push(
              `template component type "${String(component.type)}" is not header, body or button`,
            );
          const parameters = component.parameters;
          if (!Array.isArray(parameters) || parameters.length === 0) {
            problems.push(`template ${String(component.type)} parameters must be a non-empty array`);
            continue;
          }
          for (const parameter of parameters as Array<Record<string, unknown>>) {
            if (parameter.type !== 'text')
              problems.push('only text parameters are expected from the helpdesk');
            else if (chars(parameter.text) < 1) problems.push('a text parameter needs a non-empty text');
            if (parameter.parameter_name !== undefined && typeof parameter.parameter_name !== 'string')
              problems.push('parameter_name must be a string');
          }
        }
      }
      break;
    }
    default:
      problems.push(`unexpected message type "${String(type)}"`);
  }
  return problems;
}

/** Starts the stand-in on a loopback port. */
export async function startStandInGraphApi(
  options: { version?: string; token?: string; phoneNumberId?: string; businessAccountId?: string } = {},
): Promise<StandInGraphApi> {
  const version = options.version ?? 'v23.0';
  const token = options.token ?? 'EAAtest-access-token-0123456789abcdef';
  const phoneNumberId = options.phoneNumberId ?? '106540352242922';
  let counter = 0;
  let baseUrl = '';
  const state: Omit<StandInGraphApi, 'url' | 'close'> = {
    version,
    token,
    phoneNumberId,
    sends: [],
    requests: [],
    violations: [],
    media: new Map(),
    uploads: new Map(),
    expireDownloads: new Set(),
    corruptDownloads: new Map(),
    nextSendErrors: [],
    errorsByRecipient: new Map(),
    businessAccountId: options.businessAccountId ?? '102290129340398',
    templates: [],
    templatePageSize: 100,
    pagingOrigin: null,
  };

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, error: GraphError) =>
    reply(response, error.status, errorBody(error));
  const violate = (response: ServerResponse, problems: string[]) => {
    state.violations.push(...problems);
    fail(response, { ...GRAPH_ERRORS.invalidParameter, details: problems.join('; ') });
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    state.requests.push(`${request.method} ${url.pathname}`);
    if (request.headers.authorization !== `Bearer ${token}`) {
      return fail(response, {
        status: 401,
        code: 190,
        title: 'Invalid OAuth access token - Cannot parse access token',
        details: 'Invalid OAuth access token',
      });
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    // The media URL handed out by GET /<media id> (Meta serves it from another host, bearer required).
    if (request.method === 'GET' && parts[0] === 'download' && parts.length === 2) {
      const id = parts[1]!;
      if (state.expireDownloads.delete(id)) return reply(response, 404, { error: 'URL expired' });
      const item = state.media.get(id);
      if (!item) return reply(response, 404, { error: 'not found' });
      const served = state.corruptDownloads.get(id) ?? item.body;
      response.writeHead(200, { 'content-type': item.mimeType, 'content-length': served.length });
      return response.end(served);
    }

    if (parts[0] !== version) {
      state.violations.push(`path ${url.pathname} does not start with /${version}/`);
      return fail(response, {
        status: 400,
        code: 2500,
        title: 'Unknown path components',
        details: `expected /${version}/…`,
      });
    }
    const [, objectId, edge] = parts;

    if (request.method === 'POST' && edge === 'messages' && parts.length === 3) {
      if (objectId !== phoneNumberId) {
        state.violations.push(`unknown phone number id ${objectId}`);
        return fail(response, {
          ...GRAPH_ERRORS.invalidParameter,
          details: `Object with ID '${objectId}' does not exist`,
        });
      }
      if (!String(request.headers['content-type']).startsWith('application/json')) {
        return violate(response, ['Content-Type must be application/json']);
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse((await readBody(request)).toString('utf8')) as Record<string, unknown>;
      } catch {
        return violate(response, ['body is not JSON']);
      }
      const send: GraphSend = {
        phoneNumberId: objectId,
        ...(typeof body.to === 'string' ? { to: body.to } : {}),
        ...(typeof body.recipient === 'string' ? { recipient: body.recipient } : {}),
        type: String(body.type),
        body,
      };
      state.sends.push(send);
      const problems = checkMessageBody(body);
      if (problems.length) {
        send.errorCode = 100;
        return violate(response, problems);
      }
      const templateError = body.type === 'template' ? checkTemplateSend(state.templates, body) : null;
      const error =
        state.errorsByRecipient.get(send.to ?? send.recipient ?? '') ??
        state.nextSendErrors.shift() ??
        templateError;
      if (error) {
        send.errorCode = error.code;
        return fail(response, error);
      }
      send.wamid = `wamid.${Buffer.from(`stand-in-${Date.now()}-${++counter}`).toString('base64')}`;
      return reply(response, 200, {
        messaging_product: 'whatsapp',
        contacts: [
          send.to
            ? { input: send.to, wa_id: send.to.replace(/^\+/, '') }
            : { input: send.recipient, user_id: send.recipient },
        ],
        messages: [{ id: send.wamid }],
      });
    }

    if (request.method === 'POST' && edge === 'media' && parts.length === 3) {
      if (objectId !== phoneNumberId) return violate(response, [`unknown phone number id ${objectId}`]);
      const raw = await readBody(request);
      let form: FormData;
      try {
        form = await new Response(raw, {
          headers: { 'content-type': request.headers['content-type'] ?? '' },
        }).formData();
      } catch {
        return violate(response, ['POST /media must be multipart/form-data']);
      }
      const file = form.get('file');
      const problems: string[] = [];
      if (form.get('messaging_product') !== 'whatsapp')
        problems.push('media: messaging_product must be "whatsapp"');
      if (typeof form.get('type') !== 'string' || !String(form.get('type')).includes('/'))
        problems.push('media: type must be a MIME type');
      if (!(file instanceof Blob) || file.size === 0) problems.push('media: file is required');
      if (problems.length) return violate(response, problems);
      const id = String(1_000_000_000_000 + ++counter);
      state.uploads.set(id, {
        body: Buffer.from(await (file as Blob).arrayBuffer()),
        mimeType: String(form.get('type')),
        filename: file instanceof File ? file.name : 'file',
      });
      return reply(response, 200, { id });
    }

    if (request.method === 'GET' && edge === 'message_templates' && parts.length === 3) {
      if (objectId !== state.businessAccountId) {
        return fail(response, {
          ...GRAPH_ERRORS.invalidParameter,
          details: `Unsupported get request. Object with ID '${objectId}' does not exist`,
        });
      }
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 25) || 25, state.templatePageSize);
      const start = Number(Buffer.from(url.searchParams.get('after') ?? 'MA==', 'base64').toString()) || 0;
      const fields = (url.searchParams.get('fields') ?? 'name,language,status,category,id').split(',');
      const data = state.templates
        .slice(start, start + limit)
        .map((template) =>
          Object.fromEntries(
            Object.entries(template).filter(([key]) => key === 'id' || fields.includes(key)),
          ),
        );
      const cursor = (index: number) => Buffer.from(String(index)).toString('base64');
      const next = new URL(url.pathname, state.pagingOrigin ?? baseUrl);
      url.searchParams.forEach((value, key) => next.searchParams.set(key, value));
      next.searchParams.set('after', cursor(start + limit));
      return reply(response, 200, {
        data,
        paging: {
          cursors: { before: cursor(start), after: cursor(start + limit) },
          ...(start + limit < state.templates.length ? { next: next.toString() } : {}),
        },
      });
    }

    if (request.method === 'GET' && parts.length === 2 && objectId === phoneNumberId) {
      const fields: Record<string, string> = {
        display_phone_number: '+20 100 000 0000',
        verified_name: 'Pharmacy',
        quality_rating: 'GREEN',
      };
      // With `fields`, Meta answers those fields and the id (Graph API, "Using the Graph API": fields).
      const requested = url.searchParams.get('fields')?.split(',').filter(Boolean);
      const answer = requested
        ? Object.fromEntries(requested.filter((name) => name in fields).map((name) => [name, fields[name]]))
        : fields;
      return reply(response, 200, { ...answer, id: phoneNumberId });
    }

    if (request.method === 'GET' && parts.length === 2) {
      const item = state.media.get(objectId!);
      if (!item) {
        return fail(response, {
          ...GRAPH_ERRORS.invalidParameter,
          details: `Unsupported get request. Object with ID '${objectId}' does not exist`,
        });
      }
      const requested = url.searchParams.get('phone_number_id');
      if (requested !== null && requested !== phoneNumberId)
        return violate(response, [`media of another phone number ${requested}`]);
      return reply(response, 200, {
        messaging_product: 'whatsapp',
        url: `${baseUrl}/download/${encodeURIComponent(objectId!)}`,
        mime_type: item.mimeType,
        sha256: createHash('sha256').update(item.body).digest('hex'),
        file_size: String(item.body.length),
        id: objectId,
      });
    }

    state.violations.push(`unexpected ${request.method} ${url.pathname}`);
    return fail(response, { status: 400, code: 100, title: 'Unsupported request', details: url.pathname });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return Object.assign(state, {
    url: baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Meta's template checks of a send: 132001 for an unknown name/language, 132000 for a wrong count. */
function checkTemplateSend(templates: StandInTemplate[], body: Record<string, unknown>): GraphError | null {
  const content = body.template as {
    name: string;
    language: { code: string };
    components?: Array<{ type: string; parameters: unknown[] }>;
  };
  const template = templates.find(
    (candidate) => candidate.name === content.name && candidate.language === content.language.code,
  );
  if (!template || template.status !== 'APPROVED') {
    return {
      ...GRAPH_ERRORS.templateMissing,
      details: `template name (${content.name}) does not exist in ${content.language.code}`,
    };
  }
  for (const type of ['header', 'body']) {
    const text = String(
      template.components.find((component) => String(component.type).toLowerCase() === type)?.text ?? '',
    );
    const expected = new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1]))
      .size;
    const given = content.components?.find((component) => component.type === type)?.parameters.length ?? 0;
    if (expected !== given) {
      return {
        ...GRAPH_ERRORS.templateParameterCount,
        details: `${type}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
      };
    }
  }
  return null;
}
