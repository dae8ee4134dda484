/**
 * Hostile input at every route of the agents' API, taken from its own OpenAPI document: hostile
 * path parameters (traversal, NUL, huge, non-ids), query strings and bodies (random bytes, wrong
 * types, deep nesting, prototype-pollution keys), signed in as an admin and not signed in. Never a
 * 5xx, nothing written, and the process stays responsive.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, seedTicket, type TestAgent } from '../api/api-support';

interface Operation {
  method: string;
  path: string;
}

const hostileSegment = fc.oneof(
  fc.constantFrom(
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    'null',
    '-1',
    '0',
    '1e309',
    "' OR 1=1 --",
    '__proto__',
    'constructor',
  ),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 2000, maxLength: 5000 }),
);

const hostileBody = fc.oneof(
  fc.uint8Array({ maxLength: 1024 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 5 }).map((json) => Buffer.from(json)),
  fc.integer({ min: 500, max: 3000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
  fc
    .dictionary(
      fc.constantFrom(
        'text',
        'status',
        'agentId',
        'name',
        'tags',
        'notes',
        'capacity',
        'availability',
        'email',
        'password',
        'role',
        'active',
        '__proto__',
        'constructor',
      ),
      fc.oneof(
        fc.integer(),
        fc.string({ maxLength: 20 }),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.object({ maxDepth: 2 }),
      ),
    )
    .map((object) => Buffer.from(JSON.stringify(object).replace('"constructor"', '"__proto__"'))),
  fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
);

describe('fuzzing the agents API', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let operations: Operation[];

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin' });
    await seedTicket(helpdesk.context.db, { assigneeId: admin.id });
    const document = (await (await fetch(`${helpdesk.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
    assert.ok(operations.length >= 15, `the document lists the API's routes (${operations.length})`);
  });
  after(() => helpdesk.stop());

  const counts = () =>
    query<Record<string, number>>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM agents) AS agents,
              (SELECT count(*)::int FROM ticket_events) AS events`,
    ).then((rows) => rows[0]!);

  it('when thousands of hostile requests hit every route, then none gets a 5xx and nothing is written', async () => {
    const before = await counts();
    const mutatingSuccesses: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        hostileSegment,
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
        hostileBody,
        fc.boolean(),
        async (index, segment, params, body, signedIn) => {
          const operation = operations[index % operations.length]!;
          // Signed in, the event stream stays open by design and logout would end the fuzzing
          // session; both are still fuzzed signed out.
          if ((operation.path === '/api/stream' || operation.path === '/api/auth/logout') && signedIn)
            return true;
          const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(segment));
          const search = new URLSearchParams(params).toString();
          const response = await fetch(`${helpdesk.url}${path}${search ? `?${search}` : ''}`, {
            method: operation.method,
            headers: {
              'content-type': 'application/json',
              'x-requested-with': 'fetch',
              ...(signedIn ? { authorization: `Bearer ${admin.token}` } : {}),
            },
            ...(operation.method === 'GET' || operation.method === 'DELETE' ? {} : { body }),
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (operation.method !== 'GET' && response.status < 300)
            mutatingSuccesses.push(`${operation.method} ${path} ${body.toString('utf8').slice(0, 80)}`);
          return response.status < 500;
        },
      ),
      { numRuns: 2000 },
    );
    assert.deepEqual(
      mutatingSuccesses.filter((line) => !line.startsWith('POST /api/auth/logout')),
      [],
      'no hostile request changed anything',
    );
    const { events: _eventsBefore, ...rest } = before;
    const { events: _eventsAfter, ...restAfter } = await counts();
    assert.deepEqual(restAfter, rest, 'no rows written');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((await fetch(`${helpdesk.url}/health`)).status, 200, 'still responsive');
  });
});
