/**
 * The API's description: `/api/openapi.json` lists every route with its schemas, `/api/docs`
 * renders it without scripts or outside resources, Swagger UI at `/api/docs/ui/` is served from
 * this origin, and every route the document does not mark public refuses a request without a
 * session.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';

interface OpenApi {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        description?: string;
        security?: unknown[];
        parameters?: Array<{ name: string; in: string; required?: boolean }>;
        requestBody?: unknown;
        responses: Record<string, unknown>;
      }
    >
  >;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    securitySchemes: Record<string, unknown>;
  };
}

describe("agents' API: OpenAPI document and docs page", () => {
  let helpdesk: TestHelpdesk;
  let document: OpenApi;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    const response = await fetch(`${helpdesk.url}/api/openapi.json`);
    assert.equal(response.status, 200);
    document = (await response.json()) as OpenApi;
  });
  after(() => helpdesk.stop());

  it('when the document is fetched, then it is OpenAPI 3.1 and names every route with its schemas', () => {
    assert.equal(document.openapi, '3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    for (const expected of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/auth/session',
      'GET /api/tickets',
      'GET /api/tickets/{id}',
      'POST /api/tickets/{id}/messages',
      'POST /api/tickets/{id}/notes',
      'POST /api/tickets/{id}/status',
      'POST /api/tickets/{id}/transfer',
      'GET /api/me',
      'PUT /api/me/availability',
      'GET /api/agents',
      'POST /api/agents',
      'GET /api/agents/{id}',
      'PATCH /api/agents/{id}',
      'GET /api/customers',
      'GET /api/customers/{id}',
      'PATCH /api/customers/{id}',
      'GET /api/stats',
      'GET /api/reports',
      'GET /api/reports.csv',
      'GET /api/attachments/{id}',
      'GET /api/stream',
      'GET /api/labels',
      'POST /api/labels',
      'PATCH /api/labels/{id}',
      'DELETE /api/labels/{id}',
      'PUT /api/tickets/{id}/labels',
      'GET /api/ticket-categories',
      'PUT /api/tickets/{id}/category',
      'GET /api/customers/{id}/media',
      'GET /api/channels',
      'POST /api/channels',
      'GET /api/channels/{id}',
      'PATCH /api/channels/{id}',
      'DELETE /api/channels/{id}',
      'GET /api/channels/{id}/qr',
      'POST /api/channels/{id}/restart',
      'POST /api/channels/{id}/logout',
      'POST /api/channels/{id}/test',
      'GET /api/teams',
      'POST /api/teams',
      'PATCH /api/teams/{id}',
      'DELETE /api/teams/{id}',
      'GET /api/audit',
      'GET /api/queue',
      'GET /api/sla-policies',
      'POST /api/sla-policies',
      'PATCH /api/sla-policies/{id}',
      'DELETE /api/sla-policies/{id}',
      'GET /api/templates',
      'POST /api/channels/{id}/templates/sync',
      'POST /api/tickets/{id}/scheduled-messages',
      'GET /api/customers/{id}/scheduled-messages',
      'PATCH /api/scheduled-messages/{id}',
      'DELETE /api/scheduled-messages/{id}',
      'POST /api/broadcasts',
      'GET /api/broadcasts',
      'GET /api/broadcasts/{id}',
      'GET /api/broadcasts/{id}/recipients',
      'POST /api/broadcasts/{id}/start',
      'POST /api/broadcasts/{id}/pause',
      'POST /api/broadcasts/{id}/resume',
      'POST /api/broadcasts/{id}/cancel',
      'POST /api/api-keys',
      'GET /api/api-keys',
      'DELETE /api/api-keys/{id}',
      'POST /api/integration/messages',
      'GET /api/integration/tickets/{number}',
      'PUT /api/integration/customers/{phone}',
      'POST /api/webhooks',
      'GET /api/webhooks',
      'PATCH /api/webhooks/{id}',
      'DELETE /api/webhooks/{id}',
      'GET /api/webhooks/{id}/deliveries',
      'GET /api/auto-replies',
      'POST /api/auto-replies',
      'PATCH /api/auto-replies/{id}',
      'DELETE /api/auto-replies/{id}',
    ]) {
      assert.ok(operations.includes(expected), `${expected} is documented`);
    }
    const list = document.paths['/api/tickets']!.get!;
    assert.deepEqual(list.parameters!.map((parameter) => parameter.name).sort(), [
      'assigneeId',
      'category',
      'channel',
      'cursor',
      'label',
      'limit',
      'q',
      'sort',
      'status',
      'view',
    ]);
    assert.ok(document.paths['/api/tickets/{id}/messages']!.post!.requestBody, 'reply body documented');
    for (const schema of [
      'Ticket',
      'TicketThread',
      'Message',
      'Agent',
      'Customer',
      'Stats',
      'PeriodReport',
      'Error',
      'Channel',
      'Team',
      'AgentOverview',
      'SlaPolicy',
      'AutoReplyRule',
      'TicketSla',
      'QuotedMessage',
      'MessageDetails',
      'SharedContact',
      'MessageLocation',
      'AuditEntry',
      'LiveQueue',
      'MessageTemplate',
    ]) {
      assert.ok(document.components.schemas[schema], `schema ${schema}`);
    }
    assert.ok(document.components.securitySchemes.bearer);
    assert.ok(document.components.securitySchemes.integrationKey, 'integration API keys documented');
    assert.deepEqual(document.paths['/api/integration/messages']!.post!.security, [{ integrationKey: [] }]);
  });

  it('when a route has a path parameter, then the document marks it required, as OpenAPI 3.1 requires', () => {
    const pathParameters = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) =>
        (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => ({ at: `${method.toUpperCase()} ${path} {${parameter.name}}`, parameter })),
      ),
    );
    // Every `{name}` in a path is declared: validators and client generators reject a document
    // with a path parameter missing or not required.
    const declared = new Set(pathParameters.map(({ at }) => at));
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) {
        for (const [, name] of path.matchAll(/\{(\w+)\}/g))
          assert.ok(declared.has(`${method.toUpperCase()} ${path} {${name}}`), `${method} ${path}: ${name}`);
      }
    }
    const optional = pathParameters
      .filter(({ parameter }) => parameter.required !== true)
      .map(({ at }) => at);
    assert.deepEqual(optional, [], 'path parameters not marked required');
    // The ticket number in Arabic-Indic digits is preprocessed: the case zod-openapi left optional.
    assert.ok(declared.has('GET /api/integration/tickets/{number} {number}'));
  });

  it('when a route is not marked public, then it answers 401 without a session', async () => {
    let checked = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.security && operation.security.length === 0) continue; // public
        const url = `${helpdesk.url}${path.replace('{id}', randomUUID())}`;
        const response = await fetch(url, {
          method: method.toUpperCase(),
          ...(method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        assert.equal(response.status, 401, `${method.toUpperCase()} ${path} without a session`);
        await response.body?.cancel();
        checked += 1;
      }
    }
    assert.ok(checked >= 19, `checked ${checked} routes`);
  });

  it('when the docs page is opened, then it lists the routes and loads nothing from elsewhere', async () => {
    const response = await fetch(`${helpdesk.url}/api/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const html = await response.text();
    assert.match(html, /GET<\/span> <code>\/api\/tickets<\/code>/);
    assert.match(html, /POST<\/span> <code>\/api\/tickets\/\{id\}\/messages<\/code>/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /(src|href)="https?:/i, 'no CDN');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  it('when the event stream is described, then it names every event type a console may receive', () => {
    const description = document.paths['/api/stream']!.get!.description ?? '';
    for (const type of [
      'message.created',
      'message.status',
      'message.updated',
      'ticket.assigned',
      'ticket.status',
      'ticket.note',
      'ticket.updated',
      'agent.availability',
      'channel.state',
      'labels.changed',
    ]) {
      assert.ok(description.includes(type), `${type} is named: ${description}`);
    }
    assert.match(description, /resync/);
  });

  it('when a message is described, then its quote, edits, deletion, reactions and kinds are part of the contract', () => {
    const message = document.components.schemas.Message!;
    for (const field of [
      'quoted',
      'editedAt',
      'edits',
      'deletedAt',
      'reactions',
      'contacts',
      'location',
      'details',
    ]) {
      assert.ok(message.properties?.[field], `Message.${field} documented`);
      assert.ok(message.required?.includes(field), `Message.${field} required`);
    }
    const reply = JSON.stringify(document.paths['/api/tickets/{id}/messages']!.post!.requestBody);
    assert.match(reply, /replyTo/, 'the reply documents replyTo (JSON and multipart)');
  });

  it('when a ticket is described, then its allowed actions are part of the contract', () => {
    const ticket = document.components.schemas.Ticket!;
    assert.ok(ticket.properties?.allowedActions, 'Ticket.allowedActions documented');
    assert.ok(ticket.required?.includes('allowedActions'));
  });

  it('when the integration API is described, then its requests and answers carry examples', () => {
    const operation = document.paths['/api/integration/messages']?.post;
    assert.ok(operation, 'POST /api/integration/messages documented');
    const text = JSON.stringify(operation);
    assert.match(text, /"examples":\[\{"phone":"\+201001234567"/, 'the request body has an example');
    assert.match(text, /"ticketNumber":1042/, 'the answer has an example');
    assert.match(JSON.stringify(document.paths['/api/api-keys']?.post), /"examples":/);
  });

  it('when Swagger UI is opened, then it and its files come from this origin and read this document', async () => {
    const page = await fetch(`${helpdesk.url}/api/docs/ui/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    assert.match(html, /<script src="\.\/swagger-ui-bundle\.js"/);
    assert.doesNotMatch(html, /(src|href)="https?:/i, 'no CDN');
    const initializer = await fetch(`${helpdesk.url}/api/docs/ui/swagger-initializer.js`);
    assert.equal(initializer.status, 200);
    assert.match(await initializer.text(), /url: '\/api\/openapi\.json'/);
    const bundle = await fetch(`${helpdesk.url}/api/docs/ui/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    await bundle.body?.cancel();
  });
});
