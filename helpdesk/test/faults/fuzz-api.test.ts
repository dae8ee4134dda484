/**
 * Hostile input at every route of the agents' API, taken from its own OpenAPI document: hostile
 * path parameters (traversal, NUL, huge, non-ids), query strings and bodies (random bytes, wrong
 * types, deep nesting, prototype-pollution keys), signed in as an admin and not signed in. Never a
 * 5xx, nothing written by a body its route's documented schema refuses, and the process stays
 * responsive. And every spelling of every non-public route's path (percent-encoded letters, `%252F`,
 * doubled slashes, case changes, trailing dots and slashes, `;` segments), sent byte for byte
 * without a session, answers 400/401/403/404, never 2xx.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, seedTicket, type TestAgent } from '../api/api-support';

interface Operation {
  method: string;
  path: string;
}

/** An operation with the schema of its JSON body from the OpenAPI document (null: none). */
interface FuzzedOperation extends Operation {
  body: z.ZodType | null;
}

/**
 * Whether a body is a request its route documents as valid (its OpenAPI schema, read back into zod
 * by `z.fromJSONSchema`). A random body can be one (`{"name":"aBFO"}` creates a team): such a
 * request is not hostile, and its success is not a hole.
 */
function documentedValid(schema: z.ZodType | null, body: Buffer): boolean {
  if (!schema) return false;
  try {
    return schema.safeParse(JSON.parse(body.toString('utf8'))).success;
  } catch {
    return false;
  }
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
  let operations: FuzzedOperation[];

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin' });
    await seedTicket(helpdesk.context.db, { assigneeId: admin.id });
    const document = (await (await fetch(`${helpdesk.url}/api/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: object }> } }>
      >;
      components?: { schemas?: object };
    };
    // The document's component schemas as `$defs`, where `z.fromJSONSchema` resolves references.
    const definitions = (schema: object) =>
      JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as object;
    const $defs = definitions(document.components?.schemas ?? {});
    const zodOf = (schema: object | undefined) =>
      schema ? z.fromJSONSchema({ ...definitions(schema), $defs } as never) : null;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          body: zodOf(operation.requestBody?.content?.['application/json']?.schema),
        })),
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
          if (operation.method !== 'GET' && response.status < 300 && !documentedValid(operation.body, body))
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

interface DocumentedOperation extends Operation {
  /** Whether the OpenAPI document marks it public (`security: []`). */
  public: boolean;
}

/** One way to misspell a path that a lax router might still match. */
type Spelling = (path: string, pick: number) => string;

const percentEncodeLetter: Spelling = (path, pick) => {
  const letters = [...path.matchAll(/[a-z]/gi)].map((match) => match.index);
  const at = letters[pick % letters.length]!;
  const hex = path.charCodeAt(at).toString(16);
  return `${path.slice(0, at)}%${pick % 2 ? hex.toUpperCase() : hex}${path.slice(at + 1)}`;
};

/** Each rewrite the property may apply (several may stack). */
const SPELLINGS: Record<string, Spelling> = {
  percentLetter: percentEncodeLetter,
  doublePercentLetter: (path, pick) => percentEncodeLetter(path, pick).replace('%', '%25'),
  encodedSlash: (path, pick) => {
    const slashes = [...path.matchAll(/\//g)].map((match) => match.index).slice(1);
    if (slashes.length === 0) return `${path}%2F`;
    const at = slashes[pick % slashes.length]!;
    return `${path.slice(0, at)}${pick % 2 ? '%252F' : '%2F'}${path.slice(at + 1)}`;
  },
  doubledSlash: (path, pick) => {
    const slashes = [...path.matchAll(/\//g)].map((match) => match.index);
    const at = slashes[pick % slashes.length]!;
    return `${path.slice(0, at)}/${path.slice(at)}`;
  },
  upperCase: (path, pick) => (pick % 2 ? path.toUpperCase() : path.replace('/api', '/API')),
  capitalised: (path) => path.replace(/\/([a-z])/g, (_match, letter: string) => `/${letter.toUpperCase()}`),
  trailingDot: (path) => `${path}.`,
  trailingSlash: (path) => `${path}/`,
  dotSegment: (path) => path.replace('/api/', '/api/./'),
  parentSegment: (path) => path.replace('/api/', '/x/../api/'),
  semicolonSegment: (path, pick) =>
    pick % 2 ? path.replace('/api', '/api;a=b') : `${path};jsessionid=${pick}`,
  matrixOnLast: (path) => path.replace(/\/([^/]+)$/, '/;$1'),
  encodedDot: (path) => `${path}%2e`,
  backslash: (path) => path.replace('/api/', '/api\\'),
  tab: (path) => `${path}%09`,
};

/** Sends exactly `path` (no URL normalisation, unlike fetch). @returns the status. */
function rawRequest(base: string, method: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        hostname,
        port,
        method,
        path,
        // Content-Length: Node sends a DELETE's body unframed otherwise (no chunked encoding for
        // DELETE), and the server reads its bytes as a malformed next request (400).
        headers:
          method === 'GET'
            ? {}
            : { 'content-type': 'application/json', 'content-length': '2', 'x-requested-with': 'fetch' },
      },
      (response) => {
        // The status is all this needs (an event stream would never end on its own).
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`timeout: ${method} ${path}`)));
    outgoing.end(method === 'GET' ? undefined : '{}');
  });
}

describe('path spellings of every route without a session', () => {
  let helpdesk: TestHelpdesk;
  let operations: DocumentedOperation[];

  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
    const document = (await (await fetch(`${helpdesk.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          public: Array.isArray(operation.security) && operation.security.length === 0,
        })),
    );
    // Routes outside the agents' API that must not answer without their own credential.
    operations.push({ method: 'GET', path: '/metrics', public: false });
  });
  after(() => helpdesk.stop());

  it('when a non-public route is asked for under any spelling of its path, then 400, 401, 403 or 404, never 2xx', async () => {
    const guarded = operations.filter((operation) => !operation.public);
    assert.ok(guarded.length >= 15, `the document lists the guarded routes (${guarded.length})`);
    // The plain spelling of each guarded route answers 401: what a bypass would have to avoid.
    for (const operation of guarded) {
      const path = operation.path.replace(/\{[^}]+\}/g, '3f1c2a64-1b1e-4c1e-9f44-5b8f1e0c2d7a');
      assert.equal(
        await rawRequest(helpdesk.url, operation.method, path),
        401,
        `${operation.method} ${path}`,
      );
    }
    const names = Object.keys(SPELLINGS);
    const answers: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(fc.tuple(fc.constantFrom(...names), fc.nat()), { minLength: 1, maxLength: 3 }),
        fc.oneof(fc.uuid(), fc.constant('1')),
        async (index, rewrites, id) => {
          const operation = guarded[index % guarded.length]!;
          let path = operation.path.replace(/\{[^}]+\}/g, id);
          for (const [name, pick] of rewrites) path = SPELLINGS[name]!(path, pick);
          const status = await rawRequest(helpdesk.url, operation.method, path);
          if (![400, 401, 403, 404].includes(status))
            answers.push(`${operation.method} ${path} -> ${status}`);
          return status < 200 || status >= 300;
        },
      ),
      { numRuns: 1500 },
    );
    // 401: the route matched and authenticated; 404: no route; 403: a GET no route matched fell to
    // the console's static files, which refuse such paths (no /api handler answers 403 before 401);
    // 400: stacked rewrites made a malformed escape (`%2%65`), refused before any routing.
    assert.deepEqual(answers, [], 'every spelling answers 400, 401, 403 or 404');
  });
});
