/**
 * Canned responses through the agents' API: an agent's personal ones are theirs alone, shared ones
 * are everyone's and only admins add, change or delete them, shortcuts are unique per owner and
 * among the shared ones, and bad input is refused naming the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cannedResponseListSchema,
  cannedResponseSchema,
  type CannedResponse,
  type CannedResponseList,
} from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { apiClient, assertMatches, assertValidationError, createAgent, type TestAgent } from './api-support';

describe("agents' API: canned responses", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'offline' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'offline' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', availability: 'offline' });
  });
  after(() => helpdesk.stop());

  const list = async (agent: TestAgent) => {
    const answer = await agent.api.get<CannedResponseList>('/api/canned-responses');
    assert.equal(answer.status, 200);
    assertMatches(cannedResponseListSchema, answer.body);
    return answer.body.items;
  };
  const remove = (agent: TestAgent, id: string) =>
    agent.api.fetch(`/api/canned-responses/${id}`, { method: 'DELETE' }).then((response) => response.status);

  it('when an agent adds a personal response, then only they see it', async () => {
    const created = await mona.api.post<CannedResponse>('/api/canned-responses', {
      shortcut: ' /Thanks ',
      title: 'Thank you',
      body: 'Thank you {{customer.name}}!',
      language: 'en',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(cannedResponseSchema, created.body);
    assert.equal(created.body.shortcut, 'thanks');
    assert.equal(created.body.scope, 'personal');
    assert.equal(created.body.ownerId, mona.id);
    assert.equal(created.body.body, 'Thank you {{customer.name}}!');

    assert.deepEqual(
      (await list(mona)).map((item) => item.id),
      [created.body.id],
    );
    assert.deepEqual(await list(omar), []);
    assert.deepEqual(await list(admin), [], "an admin does not see agents' personal responses");

    // Another agent can neither change nor delete it, nor learn it exists.
    assert.equal(
      (await omar.api.patch(`/api/canned-responses/${created.body.id}`, { title: 'x' })).status,
      404,
    );
    assert.equal(await remove(omar, created.body.id), 404);
    assert.equal(await remove(admin, created.body.id), 404);
    assert.equal((await list(mona)).length, 1);
  });

  it('when a non-admin asks for a shared response, then 403; an admin adds one that everyone sees', async () => {
    const refused = await mona.api.post('/api/canned-responses', {
      scope: 'shared',
      shortcut: 'hours',
      title: 'Opening hours',
      body: 'We open 9–21',
    });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.match(String(refused.body.message), /scope/);

    const shared = await admin.api.post<CannedResponse>('/api/canned-responses', {
      scope: 'shared',
      shortcut: 'مرحبا',
      title: 'ترحيب',
      body: 'مرحبا {{customer.name}}، معك {{agent.name}}',
      language: 'ar',
    });
    assert.equal(shared.status, 201, JSON.stringify(shared.body));
    assert.equal(shared.body.scope, 'shared');
    assert.equal(shared.body.ownerId, null);
    for (const agent of [mona, omar, admin]) {
      assert.ok((await list(agent)).some((item) => item.id === shared.body.id && item.scope === 'shared'));
    }

    // Agents cannot change or delete it; admins can.
    const denied = await omar.api.patch(`/api/canned-responses/${shared.body.id}`, { title: 'Mine now' });
    assert.equal(denied.status, 403);
    assert.equal(await remove(omar, shared.body.id), 403);
    const changed = await admin.api.patch<CannedResponse>(`/api/canned-responses/${shared.body.id}`, {
      body: 'أهلا {{customer.name}}',
      language: null,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assertMatches(cannedResponseSchema, changed.body);
    assert.equal(changed.body.body, 'أهلا {{customer.name}}');
    assert.equal(changed.body.language, null);
    assert.equal(changed.body.title, 'ترحيب', 'fields left out stay');
    assert.equal(
      (await list(omar)).find((item) => item.id === shared.body.id)?.body,
      'أهلا {{customer.name}}',
    );
    assert.equal(await remove(admin, shared.body.id), 204);
    assert.ok(!(await list(omar)).some((item) => item.id === shared.body.id));
    assert.equal(await remove(admin, shared.body.id), 404);
  });

  it('when a shortcut is taken, then 409; per owner and among the shared ones only', async () => {
    const first = await omar.api.post<CannedResponse>('/api/canned-responses', {
      shortcut: 'bye',
      title: 'Bye',
      body: 'Goodbye',
    });
    assert.equal(first.status, 201);
    const again = await omar.api.post('/api/canned-responses', {
      shortcut: 'BYE',
      title: 'Bye 2',
      body: 'See you',
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.match(String(again.body.message), /shortcut/);
    // Another agent's personal one and a shared one may use the same shortcut.
    assert.equal(
      (await mona.api.post('/api/canned-responses', { shortcut: 'bye', title: 'Bye', body: 'Ciao' })).status,
      201,
    );
    const sharedBye = await admin.api.post<CannedResponse>('/api/canned-responses', {
      scope: 'shared',
      shortcut: 'bye',
      title: 'Bye (shared)',
      body: 'Goodbye from all of us',
    });
    assert.equal(sharedBye.status, 201);
    assert.equal(
      (
        await admin.api.post('/api/canned-responses', {
          scope: 'shared',
          shortcut: 'bye',
          title: 'Another',
          body: 'x',
        })
      ).status,
      409,
    );
    // Omar sees the shared one and his own, not Mona's; the shared one first.
    const byes = (await list(omar)).filter((item) => item.shortcut === 'bye');
    assert.deepEqual(
      byes.map((item) => [item.scope, item.body]),
      [
        ['shared', 'Goodbye from all of us'],
        ['personal', 'Goodbye'],
      ],
    );
    // Renaming onto a taken shortcut is a conflict too, and changes nothing.
    const other = await omar.api.post<CannedResponse>('/api/canned-responses', {
      shortcut: 'later',
      title: 'Later',
      body: 'Later',
    });
    const clash = await omar.api.patch(`/api/canned-responses/${other.body.id}`, {
      shortcut: 'bye',
      title: 'New',
    });
    assert.equal(clash.status, 409);
    const unchanged = (await list(omar)).find((item) => item.id === other.body.id);
    assert.equal(unchanged?.shortcut, 'later');
    assert.equal(unchanged?.title, 'Later');
    assert.equal(await remove(omar, other.body.id), 204);
  });

  it('when the input is bad, then 400 names the field and nothing is stored', async () => {
    const before = (await list(mona)).length;
    const post = (body: unknown) => mona.api.post('/api/canned-responses', body);
    assertValidationError(await post({ shortcut: 'has space', title: 'T', body: 'B' }), 'shortcut');
    assertValidationError(await post({ shortcut: 'a'.repeat(33), title: 'T', body: 'B' }), 'shortcut');
    assertValidationError(await post({ shortcut: '/', title: 'T', body: 'B' }), 'shortcut');
    assertValidationError(await post({ shortcut: 'ok', title: '  ', body: 'B' }), 'title');
    assertValidationError(await post({ shortcut: 'ok', title: 'T', body: '   ' }), 'body');
    assertValidationError(await post({ shortcut: 'ok', title: 'T', body: 'x'.repeat(4097) }), 'body');
    assertValidationError(await post({ shortcut: 'ok', title: 'T', body: 'B', language: 'fr' }), 'language');
    assertValidationError(await post({ shortcut: 'ok', title: 'T', body: 'B', scope: 'team' }), 'scope');
    assert.equal((await list(mona)).length, before);

    const own = await mona.api.post<CannedResponse>('/api/canned-responses', {
      shortcut: 'ok٢',
      title: 'OK',
      body: 'x'.repeat(4096),
    });
    assert.equal(own.status, 201, 'exactly 4096 characters fit; Arabic-Indic digits are accepted');
    assert.equal(own.body.shortcut, 'ok2');
    const empty = await mona.api.patch(`/api/canned-responses/${own.body.id}`, {});
    assert.equal(empty.status, 400);
    assert.match(String(empty.body.message), /shortcut, title, body or language/);
    assertValidationError(
      await mona.api.patch(`/api/canned-responses/${own.body.id}`, { shortcut: 'a b' }),
      'shortcut',
    );
    assertValidationError(await mona.api.patch('/api/canned-responses/not-a-uuid', { title: 'x' }), 'id');
  });

  it('when the OpenAPI document is fetched, then it documents the canned-response routes', async () => {
    const document = (await (await fetch(`${helpdesk.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    assert.deepEqual(Object.keys(document.paths['/api/canned-responses'] ?? {}).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(document.paths['/api/canned-responses/{id}'] ?? {}).sort(), [
      'delete',
      'patch',
    ]);
    assert.ok(document.components.schemas.CannedResponse);
  });

  it('when nobody is signed in, then 401', async () => {
    const anonymous = apiClient(helpdesk.url, null);
    assert.equal((await anonymous.get('/api/canned-responses')).status, 401);
    assert.equal(
      (await anonymous.post('/api/canned-responses', { shortcut: 'x', title: 'x', body: 'x' })).status,
      401,
    );
  });
});
