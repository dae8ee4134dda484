#!/usr/bin/env node
/**
 * The deployment test (`npm run test:deploy`): builds both images and the compose stack from this
 * checkout, starts it, and runs the main flow through the containers with nothing paired:
 *
 * 1. signed sidecar webhooks (the wire format wpp-sidecar posts: X-Webhook-Timestamp and
 *    X-Webhook-Signature = sha256 HMAC of "<timestamp>.<body>") into the containerised helpdesk;
 * 2. each becomes a ticket assigned to the one online agent, with the bot's welcome and menu queued;
 * 3. the worker hands them to the containerised sidecar's send route, which answers "not connected"
 *    (no WhatsApp session), and the messages stay queued for a retry instead of being lost;
 * 4. more webhooks, then the whole stack restarts at once: every message answered 2xx is stored;
 * 5. the stack is torn down with its volumes.
 *
 * Needs a Docker engine. Base images come from the registry or, where none is reachable, from
 * stand-ins built locally (base-images.sh). Compose v2 (`docker compose`) is what the docs require;
 * where only Debian's docker-compose 1.29 exists, it runs a copy of docker-compose.yml without the
 * top-level `name:` (the one v2 key it cannot read) under the same project name.
 *
 * Exit code 0 when every check passed; the first failed check is printed and the stack's logs kept
 * in the printed folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROJECT = 'helpdesk-deploy-test';
const WORK = mkdtempSync(join(tmpdir(), 'helpdesk-deploy-'));
const API_PORT = Number(process.env.DEPLOY_TEST_API_PORT ?? 18080);
const API = `http://127.0.0.1:${API_PORT}`;
const SERVICES = ['postgres', 'redis', 'helpdesk-api', 'helpdesk-worker', 'wpp-sidecar'];
/** Customers per burst of webhooks (one before the restart, one right before it). */
const CUSTOMERS = 10;

const secret = () => randomBytes(32).toString('hex');
const environment = {
  POSTGRES_PASSWORD: secret(),
  SIDECAR_API_KEY: secret(),
  SIDECAR_WEBHOOK_SECRET: secret(),
  CHANNEL_SECRETS_KEY: secret(),
  METRICS_TOKEN: secret(),
  ADMIN_EMAIL: 'admin@pharmacy.example',
  ADMIN_PASSWORD: `Admin-${secret()}`,
  HELPDESK_PORT: String(API_PORT),
  LOG_LEVEL: 'info',
  // The sidecar's session: the events below name it as their channel, as the sidecar's own do, and
  // the helpdesk answers through that session's routes.
  SESSION_NAME: 'pharmacy',
};

function log(message) {
  process.stdout.write(`== ${message}\n`);
}

function fail(message) {
  process.stderr.write(`\ndeploy test FAILED: ${message}\nlogs: ${WORK}\n`);
  saveLogs();
  compose(['down', '--volumes', '--remove-orphans'], { check: false });
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

/** The compose command: `docker compose` (v2) or Debian's `docker-compose` 1.29 on a v1-readable copy. */
function composeCommand() {
  const envFile = join(WORK, '.env');
  writeFileSync(
    envFile,
    Object.entries(environment)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const v2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const common = ['--project-name', PROJECT, '--project-directory', ROOT, '--env-file', envFile];
  if (v2.status === 0)
    return { bin: 'docker', args: ['compose', ...common, '-f', join(ROOT, 'docker-compose.yml')], v2: true };
  const v1 = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (v1.status !== 0) fail('neither `docker compose` (v2) nor `docker-compose` is installed');
  const copy = join(WORK, 'docker-compose.v1.yml');
  writeFileSync(copy, readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').replace(/^name:.*$/m, ''));
  log(`docker compose v2 not found: using docker-compose ${v1.stdout.trim()} on ${copy}`);
  return { bin: 'docker-compose', args: [...common, '-f', copy], v2: false };
}

let COMPOSE;

function compose(args, { check: mustPass = true, quiet = false } = {}) {
  const result = spawnSync(COMPOSE.bin, [...COMPOSE.args, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0',
      COMPOSE_DOCKER_CLI_BUILD: '0',
    },
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (mustPass && result.status !== 0) {
    writeFileSync(join(WORK, `compose-${args[0]}.log`), `${result.stdout}\n${result.stderr}`);
    fail(
      `${COMPOSE.bin} ${args.join(' ')} exited ${result.status}:\n${(result.stderr || result.stdout).slice(-3000)}`,
    );
  }
  return result;
}

function saveLogs() {
  if (!COMPOSE) return;
  const result = compose(['logs', '--no-color'], { check: false });
  writeFileSync(join(WORK, 'stack.log'), `${result.stdout}\n${result.stderr}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every long-running service is healthy (what `up --wait` does in v2). */
async function waitHealthy(timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  let states = {};
  while (Date.now() < deadline) {
    states = {};
    for (const service of SERVICES) {
      const id = compose(['ps', '-q', service], { check: false }).stdout.trim().split('\n')[0];
      states[service] = id
        ? execFileSync(
            'docker',
            ['inspect', '-f', '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}', id],
            {
              encoding: 'utf8',
            },
          ).trim()
        : 'absent';
    }
    if (Object.values(states).every((state) => state === 'running/healthy')) return;
    await sleep(2000);
  }
  fail(`services not healthy after ${timeoutMs / 1000} s: ${JSON.stringify(states)}`);
}

async function api(method, path, { token, body } = {}) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: response.status, json, text };
}

/** A sidecar `message` event for a text from `phone` (E.164), signed as wpp-sidecar signs it. */
async function postCustomerMessage(phone, text) {
  const id = `false_${phone.slice(1)}@c.us_${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
  const body = JSON.stringify({
    eventId: `wppconnect:pharmacy:${id}`,
    type: 'message',
    message: {
      provider: 'wppconnect',
      channel: 'pharmacy',
      providerMessageId: id,
      timestamp: new Date().toISOString(),
      from: { phone, lid: null, userId: null, name: 'Deploy test customer' },
      type: 'text',
      text,
      caption: null,
      media: null,
      location: null,
      menuChoice: null,
      replyTo: null,
      raw: { id, body: text, type: 'chat' },
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', environment.SIDECAR_WEBHOOK_SECRET)
    .update(`${timestamp}.${body}`)
    .digest('hex');
  const response = await fetch(`${API}/webhooks/wppconnect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-timestamp': String(timestamp),
      'x-webhook-signature': `sha256=${signature}`,
    },
    body,
  });
  check(
    response.status >= 200 && response.status < 300,
    `webhook answered ${response.status}: ${await response.text()}`,
  );
}

async function signIn(email, password) {
  const answer = await api('POST', '/api/auth/login', { body: { email, password } });
  check(answer.status === 200 && answer.json?.token, `login ${email}: ${answer.status} ${answer.text}`);
  return answer.json.token;
}

/** All tickets the admin sees, any status (first page is enough for this test's customers). */
async function tickets(token) {
  const answer = await api('GET', '/api/tickets?view=all&status=open,pending,resolved,closed&limit=100', {
    token,
  });
  check(answer.status === 200, `GET /api/tickets: ${answer.status} ${answer.text}`);
  return answer.json.items;
}

async function waitFor(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last.ok) return last;
    await sleep(1000);
  }
  fail(`${what}: ${last?.detail ?? 'no answer'}`);
}

async function main() {
  log(`work folder ${WORK}`);
  const engine = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (engine.status !== 0) fail('no Docker engine answers (`docker info`); start dockerd first');
  COMPOSE = composeCommand();

  log('base images');
  const base = spawnSync('bash', [join(ROOT, 'scripts/deploy-test/base-images.sh')], { stdio: 'inherit' });
  check(base.status === 0, 'base images could not be made');

  compose(['down', '--volumes', '--remove-orphans'], { check: false });
  log('building the helpdesk and sidecar images');
  compose(['build']);

  log('starting the stack');
  compose(['up', '-d']);
  await waitHealthy();
  const migrate = compose(['ps', '-a', '-q', 'migrate'], { check: false }).stdout.trim();
  if (migrate) {
    const exit = execFileSync('docker', ['inspect', '-f', '{{.State.ExitCode}}', migrate], {
      encoding: 'utf8',
    }).trim();
    check(exit === '0', `migrate exited ${exit}`);
  }

  log('an online agent');
  const admin = await signIn(environment.ADMIN_EMAIL, environment.ADMIN_PASSWORD);
  const agentPassword = `Agent-${secret()}`;
  const created = await api('POST', '/api/agents', {
    token: admin,
    body: {
      name: 'Deploy Agent',
      email: 'agent@pharmacy.example',
      password: agentPassword,
      capacity: 50,
      role: 'agent',
    },
  });
  check(created.status === 201, `POST /api/agents: ${created.status} ${created.text}`);
  const agent = await signIn('agent@pharmacy.example', agentPassword);
  const online = await api('PUT', '/api/me/availability', { token: agent, body: { availability: 'online' } });
  check(online.status === 200, `PUT /api/me/availability: ${online.status} ${online.text}`);

  log(`${CUSTOMERS} customers write in`);
  const phones = Array.from(
    { length: CUSTOMERS * 2 },
    (_, i) => `+2010${String(5550000 + i).padStart(8, '0')}`,
  );
  for (const phone of phones.slice(0, CUSTOMERS))
    await postCustomerMessage(phone, 'السلام عليكم، هل الدواء متوفر؟');

  const assigned = await waitFor('tickets assigned to the online agent', async () => {
    const list = await tickets(admin);
    const mine = list.filter((ticket) => ticket.assignee?.name === 'Deploy Agent');
    return {
      ok: mine.length >= CUSTOMERS,
      detail: `${mine.length}/${CUSTOMERS} assigned of ${list.length}`,
      list,
    };
  });

  log('welcome and menu queued, handed to the sidecar, which is not connected');
  const first = assigned.list[0];
  const thread = await waitFor('the bot replies queued on a ticket', async () => {
    const answer = await api('GET', `/api/tickets/${first.id}`, { token: admin });
    const messages = answer.json?.messages ?? [];
    const bot = messages.filter((message) => message.author === 'bot');
    return {
      ok: bot.length >= 2,
      detail: `ticket ${first.id}: ${answer.status} ${JSON.stringify(messages.map((m) => [m.author, m.deliveryStatus]))}`,
      bot,
    };
  });
  check(
    thread.bot.every((message) => message.deliveryStatus === 'queued'),
    `bot replies should stay queued while WhatsApp is not connected: ${JSON.stringify(thread.bot)}`,
  );
  // The worker's log names each refused attempt: the sidecar's own answer, retried by BullMQ.
  await waitFor(
    "the sidecar's send route answering not connected, and the worker retrying",
    async () => {
      const logs = compose(['logs', '--no-color', 'helpdesk-worker'], { check: false }).stdout;
      const refused = logs
        .split('\n')
        .filter(
          (line) =>
            /sidecar \/api\/sessions\/pharmacy\/send-message: HTTP 503/.test(line) &&
            line.includes('not_connected'),
        );
      const retried = refused.some((line) => /"attemptsMade":[2-9]/.test(line));
      return { ok: retried, detail: `${refused.length} refused sends in the worker's log, none retried yet` };
    },
    120_000,
  );

  log(`${CUSTOMERS} more customers, then the whole stack restarts at once`);
  for (const phone of phones.slice(CUSTOMERS))
    await postCustomerMessage(phone, 'Hello, is my prescription ready?');
  compose(['restart']);
  await waitHealthy();

  log('nothing lost');
  await waitFor(
    'every acknowledged message stored after the restart',
    async () => {
      const list = await tickets(await signIn(environment.ADMIN_EMAIL, environment.ADMIN_PASSWORD));
      const phonesSeen = new Set(list.map((ticket) => ticket.customer?.phone));
      const missing = phones.filter((phone) => !phonesSeen.has(phone));
      return { ok: missing.length === 0, detail: `missing tickets for ${missing.join(', ')}` };
    },
    120_000,
  );

  saveLogs();
  log('tearing down');
  compose(['down', '--volumes', '--remove-orphans']);
  log('deploy test passed');
}

main().catch((error) => fail(error?.stack ?? String(error)));
