/**
 * A year of a pharmacy chain's helpdesk data, seeded set-based into an already migrated, otherwise
 * empty database (`npm run bench:scale`, the query-plan tests): customers with Arabic and English
 * names and Egyptian numbers, tickets across every status, category, channel, team and agent over
 * the last 365 days, their messages (inbound and outbound, Arabic and English pharmacy text that
 * full-text search finds), attachment rows, the tickets' events, CSAT ratings, labels and read
 * markers, then VACUUM (ANALYZE).
 *
 * Never the HTTP path: the tickets' plan is computed here (times, status, assignee, message
 * count) and sent as arrays (`unnest`), everything else is `INSERT … SELECT generate_series`.
 * Every row is filled as the product's own writes fill it (store/inbound-messages.ts,
 * store/tickets-reply.ts, store/assignment.ts, use-cases/tickets/change-status.ts): ticket numbers
 * from the sequence's range (the sequence is moved past them), `last_inbound_at` of tickets and
 * customers from their inbound messages, `first_response_at` and `first_agent_reply_at` from the first
 * agent reply, a `first_response` event with it, the report's rollups (`message_hour_counts`,
 * `ticket_message_counts` from the messages, `report_events` from the events), `status_changed` events `{ from, to }` for every resolution,
 * `assigned` events `{ by: 'auto' }`, at most one open or pending ticket per customer and channel,
 * no more active tickets per agent than its capacity.
 *
 * Deterministic for a given seed and `now`: ids are md5 of the seed and the row's ordinal (shaped
 * as version-4 UUIDs), choices
 * come from a seeded hash, not from random().
 */
import type pg from 'pg';
import { SecretBox } from '../../src/infra/secret-box';
import { hashPassword } from '../../src/use-cases/agents/passwords';

/** How much to seed. `teams` defaults to 4, `channels` to 3. */
export interface ScaleSize {
  customers: number;
  tickets: number;
  messages: number;
  agents: number;
  teams?: number;
  channels?: number;
}

/** A year of a pharmacy chain (issue 18): 100,000 customers, 150,000 tickets, 2,000,000 messages, 50 agents. */
export const DEFAULT_SCALE: ScaleSize = {
  customers: 100_000,
  tickets: 150_000,
  messages: 2_000_000,
  agents: 50,
};

/**
 * The default size times `factor` (e.g. 0.05 for a quick run). At least 20 agents (the benchmark
 * signs 20 in), and enough messages for three per ticket plus the 200-message thread.
 */
export function scaleOf(factor: number): ScaleSize {
  if (!(factor > 0)) throw new Error(`factor: ${factor} is not a positive number`);
  const tickets = Math.max(30, Math.round(DEFAULT_SCALE.tickets * factor));
  return {
    customers: Math.max(20, Math.round(DEFAULT_SCALE.customers * factor)),
    tickets,
    messages: Math.max(tickets * 3 + 400, Math.round(DEFAULT_SCALE.messages * factor)),
    agents: Math.max(20, Math.round(DEFAULT_SCALE.agents * factor)),
  };
}

/** A channel the seed creates: its secrets are sealed with `secretsKey` (CHANNEL_SECRETS_KEY). */
export interface SeedChannelSettings {
  /** CHANNEL_SECRETS_KEY of the helpdesk that will read the data (at least 32 characters). */
  secretsKey: string;
  /** The sidecar the channels' replies go to. */
  sidecarUrl: string;
  apiKey: string;
  webhookSecret: string;
}

export interface SeedOptions {
  /** Default 1. Same seed, same `now`: same rows. */
  seed?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** The end of the seeded year (default: the current time). */
  now?: Date;
  /** Every seeded agent's password (default `scale-bench-password`). */
  password?: string;
  /** The channels' settings and secrets (default: a stand-in that nothing answers). */
  channel?: SeedChannelSettings;
}

/** A seeded agent (agents 1, 6, 11, … are admins, the others agents). */
export interface SeededAgent {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

/** What was seeded, counted in the database after the seed. */
export interface SeedSummary {
  customers: number;
  tickets: number;
  messages: number;
  attachments: number;
  events: number;
  agents: SeededAgent[];
  /** Every agent's password. */
  password: string;
  /** The channel keys (tickets.channel), the first one first. */
  channels: string[];
  teams: number;
  labels: number;
  /** An open ticket of agent 1 with exactly 200 messages. */
  threadTicket: { id: string; number: number };
  /** The open 200-message tickets, one per agent from agent 1 on (up to 20, as the size allows). */
  threadTickets: Array<{ id: string; number: number; assigneeId: string }>;
  /** Per ticket status, how many. */
  statuses: Record<'open' | 'pending' | 'resolved' | 'closed', number>;
  seconds: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const THREAD_MESSAGES = 200;
/** At most this many agents get a 200-message thread (the benchmark signs in 20 agents). */
const MAX_THREADS = 20;
/** Share of the tickets still open or pending: the latest ones. */
const ACTIVE_SHARE = 0.03;
/** Active tickets per agent, below the default capacity (10). */
const ACTIVE_PER_AGENT = 6;
const CATEGORIES = ['prescription_refill', 'order_status', 'pharmacist', 'delivery', 'other'];
const TEAMS = [
  { name: 'Pharmacists', categories: ['pharmacist', 'prescription_refill'] },
  { name: 'Orders', categories: ['order_status'] },
  { name: 'Delivery', categories: ['delivery'] },
  { name: 'General', categories: ['other'] },
];
const CHANNEL_KEYS = ['pharmacy-main', 'pharmacy-branches', 'pharmacy-delivery'];
const LABELS = [
  { name: 'VIP', color: '#d97706' },
  { name: 'Chronic patient', color: '#2563eb' },
  { name: 'Complaint', color: '#dc2626' },
  { name: 'Insurance', color: '#059669' },
  { name: 'تأمين صحي', color: '#7c3aed' },
  { name: 'Urgent', color: '#be123c' },
];

const ARABIC_FIRST = [
  'محمد', 'أحمد', 'محمود', 'مصطفى', 'عمر', 'يوسف', 'فاطمة', 'مريم', 'نور', 'سارة',
  'هبة', 'منى', 'ياسمين', 'خالد', 'إبراهيم', 'علي', 'حسن', 'آية', 'دينا', 'رانيا',
]; // prettier-ignore
const ARABIC_LAST = [
  'عبد الله', 'حسن', 'السيد', 'إبراهيم', 'مصطفى', 'عبد الرحمن', 'الشريف', 'النجار',
  'فهمي', 'سليمان', 'منصور', 'زكي', 'عثمان', 'شاكر',
]; // prettier-ignore
const ENGLISH_FIRST = [
  'John', 'Sarah', 'Michael', 'Emily', 'David', 'Laura', 'James', 'Anna', 'Peter', 'Mary',
  'Omar', 'Nadia', 'Karim', 'Lina',
]; // prettier-ignore
const ENGLISH_LAST = [
  'Smith',
  'Johnson',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
];
/** Medicines as customers write them, Arabic and English in the same order. */
const MEDICINES_AR = [
  'بانادول', 'أوجمنتين', 'كونكور', 'جلوكوفاج', 'نيكسيوم', 'بروفين', 'كتافلام', 'فنتولين',
  'زيرتك', 'أنسولين ميكستارد', 'أوميبرازول', 'فيتامين د',
]; // prettier-ignore
const MEDICINES_EN = [
  'Panadol', 'Augmentin', 'Concor', 'Glucophage', 'Nexium', 'Brufen', 'Cataflam', 'Ventolin',
  'Zyrtec', 'Insulin Mixtard', 'Omeprazole', 'Vitamin D',
]; // prettier-ignore
/** `{m}` is replaced by a medicine of the message's language. */
const CUSTOMER_AR = [
  'السلام عليكم، عندي روشتة {m} ومحتاج أعرف متوفر ولا لأ',
  'لو سمحت عايز أطلب {m} توصيل للبيت',
  'الدكتور كتبلي {m} مرتين في اليوم، ينفع آخده مع الأكل؟',
  'فين طلبي؟ طلبت {m} امبارح ولسه موصلش',
  'هل فيه بديل لـ {m} أرخص؟',
  'عايز أجدد الروشتة الشهرية بتاعة {m}',
  'الفرع اللي في مدينة نصر فاتح لحد امتى؟',
  'شكراً جزيلاً، الطلب وصل',
];
const CUSTOMER_EN = [
  'Hi, do you have {m} in stock?',
  'I need to refill my prescription for {m}',
  'Can I take {m} together with ibuprofen?',
  'Where is my order? I ordered {m} yesterday',
  'Is there a cheaper alternative to {m}?',
  'What time does the Maadi branch close today?',
  'Thanks, the delivery arrived',
];
const AGENT_AR = [
  'أهلاً بحضرتك، {m} متوفر في الفرع وممكن نوصله خلال ساعة',
  'تم تسجيل طلب {m}، رقم الطلب هيوصلك في رسالة',
  'ممكن حضرتك تبعت صورة الروشتة؟',
  'الجرعة المعتادة من {m} حسب تعليمات الطبيب، ويفضل بعد الأكل',
  'الطلب خرج مع المندوب وهيوصل خلال ٣٠ دقيقة',
  'البديل المتاح لـ {m} بنفس المادة الفعالة وسعره أقل',
];
const AGENT_EN = [
  'Hello, {m} is available and we can deliver it within an hour',
  'Your order for {m} is confirmed, you will get the order number by message',
  'Could you please send a photo of the prescription?',
  'Take {m} as your doctor prescribed, preferably after meals',
  'The courier is on the way, about 30 minutes',
  'We have a generic alternative to {m} with the same active ingredient',
];
const BOT_MENU = {
  ar: 'أهلاً بك في صيدليتنا 👋\nاختر من القائمة:\n\n1. تجديد روشتة\n2. حالة الطلب\n3. التحدث مع صيدلي\n4. التوصيل والفروع\n5. استفسار آخر',
  en: 'Welcome to our pharmacy 👋\nChoose from the menu:\n\n1. Prescription refill\n2. Order status\n3. Talk to a pharmacist\n4. Delivery and branches\n5. Something else',
};

/** A seeded pseudo-random number in [0, 1) for (seed, ordinal, salt): mulberry32 of a mixed key. */
function chance(seed: number, ordinal: number, salt: number): number {
  let t =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(ordinal, 0xc2b2ae35) ^
      Math.imul(salt, 0x27d4eb2f)) >>>
    0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/** A step coprime with `count`, so `(i * step) % count` visits every customer once per `count` tickets. */
function coprimeStep(count: number): number {
  let step = 7919;
  while (greatestCommonDivisor(step, count) !== 1) step += 2;
  return step % count || 1;
}

/** One ticket as planned (times in ms since the epoch; null: not applicable). */
interface TicketPlan {
  number: number;
  customer: number;
  channel: number;
  language: 'ar' | 'en';
  category: string | null;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  assignee: number | null;
  team: number | null;
  openedAt: number;
  assignedAt: number | null;
  /** The first agent reply (message 4 when the ticket has an assignee and 4+ messages). */
  firstAt: number;
  /** The last message's time. */
  endAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  pendingAt: number | null;
  snoozedUntil: number | null;
  /** A first resolution then the customer's return (reopened), both before `resolvedAt`/`endAt`. */
  firstResolvedAt: number | null;
  reopenedAt: number | null;
  csatRequestedAt: number | null;
  csatScore: number | null;
  csatComment: string | null;
  csatAnsweredAt: number | null;
  messages: number;
}

/** The customers' language, the same rule in SQL (`customerLanguageSql`): 3 in 5 write Arabic. */
const customerLanguage = (customer: number): 'ar' | 'en' => (customer % 5 < 3 ? 'ar' : 'en');

/**
 * How many 200-message threads (one per agent from agent 1 on): as many as the message budget
 * allows beside 3 messages per other ticket, up to 20, at least 1.
 */
function threadCount(size: Required<ScaleSize>): number {
  const spare = Math.floor((size.messages - 3 * size.tickets) / (THREAD_MESSAGES * 2));
  return Math.max(1, Math.min(MAX_THREADS, size.agents, spare));
}

function planTickets(size: Required<ScaleSize>, seed: number, now: number): TicketPlan[] {
  const count = size.tickets;
  const start = now - 365 * DAY_MS;
  const threads = threadCount(size);
  const activeCount = Math.max(threads + 2, Math.round(count * ACTIVE_SHARE));
  const assignedActiveTarget = Math.min(size.agents * ACTIVE_PER_AGENT, Math.floor(activeCount * 0.6));
  const assignedActiveShare = assignedActiveTarget / activeCount;
  const step = coprimeStep(size.customers);
  const activePerAgent = new Array<number>(size.agents + 1).fill(0);
  let roundRobin = 0;
  const plans: TicketPlan[] = [];
  for (let number = 1; number <= count; number += 1) {
    const r = (salt: number) => chance(seed, number, salt);
    const customer = (((number - 1) * step) % size.customers) + 1;
    const active = number > count - activeCount;
    // The last `threads` tickets: agent 1's, agent 2's, … open 200-message threads.
    const isThread = number > count - threads;
    const openedAt = Math.floor(start + ((number - 1 + 0.9 * r(1)) / count) * 365 * DAY_MS);
    let assignee: number | null = null;
    if (isThread) assignee = number - (count - threads);
    else if (!active) assignee = r(5) < 0.97 ? 1 + Math.floor(r(6) * size.agents) : null;
    else if (r(5) < assignedActiveShare) {
      for (let tries = 0; tries < size.agents && assignee === null; tries += 1) {
        const candidate = (roundRobin++ % size.agents) + 1;
        if (activePerAgent[candidate]! < ACTIVE_PER_AGENT) assignee = candidate;
      }
    }
    if (active && assignee !== null) activePerAgent[assignee]! += 1;
    const status: TicketPlan['status'] = isThread
      ? 'open'
      : !active
        ? r(3) < 0.3
          ? 'closed'
          : 'resolved'
        : assignee !== null && r(3) < 0.35
          ? 'pending'
          : 'open';
    const assignedAt = assignee === null ? null : openedAt + MINUTE_MS * (1 + Math.floor(r(7) * 30));
    const firstAt = (assignedAt ?? openedAt) + MINUTE_MS * (1 + Math.floor(r(8) * 20));
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    let endAt: number;
    const latest = now - MINUTE_MS;
    if (!active) {
      resolvedAt = Math.min(latest, firstAt + 15 * MINUTE_MS + Math.floor(r(9) * 3 * DAY_MS));
      closedAt = status === 'closed' ? Math.min(latest, resolvedAt + DAY_MS) : null;
      endAt = resolvedAt - MINUTE_MS;
    } else {
      endAt = isThread
        ? latest - 5 * MINUTE_MS
        : Math.floor(openedAt + (latest - openedAt) * (0.3 + 0.65 * r(9)));
    }
    endAt = Math.max(endAt, firstAt + 10 * MINUTE_MS);
    const reopened = assignee !== null && !isThread && r(10) < (active ? 0.1 : 0.06);
    const firstResolvedAt = reopened ? Math.floor(firstAt + (endAt - firstAt) * 0.4) : null;
    const reopenedAt = reopened ? Math.floor(firstResolvedAt! + (endAt - firstResolvedAt!) * 0.3) : null;
    const pendingAt = status === 'pending' ? Math.floor(endAt + (latest - endAt) / 2) : null;
    const snoozedUntil =
      status === 'pending' && r(4) < 0.4 ? now + HOUR_MS * (1 + Math.floor(r(11) * 72)) : null;
    const asked = resolvedAt !== null && assignee !== null && r(12) < 0.4;
    const csatRequestedAt = asked ? resolvedAt! + 1000 : null;
    const answeredAt = asked ? csatRequestedAt! + MINUTE_MS * (5 + Math.floor(r(13) * 600)) : null;
    const answered = asked && r(14) < 0.6 && answeredAt! < now;
    const scoreDraw = r(15);
    const csatScore = answered
      ? scoreDraw < 0.45
        ? 5
        : scoreDraw < 0.7
          ? 4
          : scoreDraw < 0.82
            ? 3
            : scoreDraw < 0.9
              ? 2
              : 1
      : null;
    const language = customerLanguage(customer);
    plans.push({
      number,
      customer,
      channel: isThread ? 0 : Math.floor(r(16) * size.channels),
      language,
      category: r(17) < 0.1 ? null : CATEGORIES[Math.floor(r(18) * CATEGORIES.length)]!,
      status,
      assignee,
      team: r(19) < 0.03 ? Math.floor(r(20) * size.teams) : null,
      openedAt,
      assignedAt: reopened ? reopenedAt! + 2 * MINUTE_MS : assignedAt,
      firstAt,
      endAt,
      resolvedAt,
      closedAt,
      pendingAt,
      snoozedUntil,
      firstResolvedAt,
      reopenedAt,
      csatRequestedAt,
      csatScore,
      csatComment:
        csatScore === null || r(21) < 0.6
          ? null
          : language === 'ar'
            ? csatScore >= 4
              ? 'خدمة ممتازة وسريعة، شكراً'
              : 'التوصيل اتأخر كتير'
            : csatScore >= 4
              ? 'Great and quick service, thank you'
              : 'The delivery was very late',
      csatAnsweredAt: answered ? answeredAt : null,
      messages: isThread ? THREAD_MESSAGES : 3,
    });
  }
  distributeMessages(plans, size.messages, seed);
  return plans;
}

const HOUR_MS = 3_600_000;

/** Gives every ticket but the thread its message count (3 or more), summing exactly to `total`. */
function distributeMessages(plans: TicketPlan[], total: number, seed: number): void {
  const others = plans.filter((plan) => plan.messages !== THREAD_MESSAGES);
  const budget = total - THREAD_MESSAGES * (plans.length - others.length);
  if (budget < others.length * 3) {
    throw new Error(
      `messages: ${total} is fewer than 3 per ticket plus the ${THREAD_MESSAGES}-message threads`,
    );
  }
  const average = budget / others.length;
  let sum = 0;
  for (const plan of others) {
    // Short conversations are the most common, a few run long: 0.3× to 2.2× the average.
    const draw = chance(seed, plan.number, 30);
    plan.messages = Math.max(3, Math.round(average * (0.3 + 1.9 * draw * draw)));
    sum += plan.messages;
  }
  for (let index = 0; sum !== budget; index = (index + 1) % others.length) {
    const plan = others[index]!;
    if (sum < budget) {
      plan.messages += 1;
      sum += 1;
    } else if (plan.messages > 3) {
      plan.messages -= 1;
      sum -= 1;
    }
  }
}

/** Runs one statement, logging it with its duration and row count. */
async function step(
  client: pg.PoolClient,
  log: (line: string) => void,
  label: string,
  text: string,
  values: unknown[] = [],
): Promise<number> {
  const started = performance.now();
  const result = await client.query(text, values);
  log(
    `seed: ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.rowCount ?? 0;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Seeds a year of data (see the module comment) into `pool`'s database.
 * @param pool a migrated database with no customers, tickets nor agents.
 * @param size how many customers, tickets, messages, agents (teams 4, channels 3 by default).
 * @returns what was seeded, counted afterwards.
 * @throws Error when the database already holds tickets, customers or agents, or the size is
 *   impossible (fewer than 3 messages per ticket, more active tickets than customers).
 */
export async function seedYearOfData(
  pool: pg.Pool,
  size: ScaleSize,
  options: SeedOptions = {},
): Promise<SeedSummary> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => {});
  const now = (options.now ?? new Date()).getTime();
  const password = options.password ?? 'scale-bench-password';
  // Teams: 1 to 4 (their names and categories are fixed); channels: at least 1.
  const full: Required<ScaleSize> = {
    ...size,
    teams: Math.max(1, Math.min(size.teams ?? TEAMS.length, TEAMS.length)),
    channels: Math.max(1, size.channels ?? CHANNEL_KEYS.length),
  };
  if (full.agents < 1) throw new Error('agents: at least 1');
  if (full.customers < Math.round(full.tickets * ACTIVE_SHARE) + 2) {
    throw new Error(`customers: ${full.customers} is fewer than the active tickets`);
  }
  const channel: SeedChannelSettings = options.channel ?? {
    secretsKey: 'scale-seed-channel-secrets-key-0123456789',
    sidecarUrl: 'http://127.0.0.1:9',
    apiKey: 'scale-seed-api-key',
    webhookSecret: 'scale-seed-webhook-secret',
  };
  const channelKeys = Array.from(
    { length: full.channels },
    (_, index) => CHANNEL_KEYS[index] ?? `pharmacy-${index + 1}`,
  );
  log(
    `seed: ${full.customers} customers, ${full.tickets} tickets, ${full.messages} messages, ${full.agents} agents (seed ${seed})`,
  );
  const plans = planTickets(full, seed, now);
  const passwordHash = await hashPassword(password);
  const client = await pool.connect();
  let failed = false;
  try {
    const existing = await client.query<{ rows: number }>(
      `SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM customers) + (SELECT count(*) FROM agents) AS rows`,
    );
    if (Number(existing.rows[0]!.rows) > 0) {
      throw new Error('seedYearOfData: the database already holds customers, tickets or agents');
    }
    // Index builds (the messages' trigram index above all) are several times faster with room to sort.
    await client.query(`SET maintenance_work_mem = '512MB'`);
    // Generated statements run once each: compiling them (JIT) costs more than it saves.
    await client.query(`SET jit = off`);
    // A deterministic id: md5 of "<seed>:<kind>:<ordinal>" shaped as a version-4 UUID (the API's
    // schemas accept RFC 9562 UUIDs only).
    await client.query(
      `CREATE FUNCTION pg_temp.seed_uuid(key text) RETURNS uuid LANGUAGE sql IMMUTABLE
         RETURN overlay(overlay(md5(key) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid`,
    );
    await client.query(`CREATE TEMPORARY TABLE seed_words (kind text, position int, ar text, en text)`);
    const words = (kind: string, ar: readonly string[], en: readonly string[]) =>
      client.query(
        `INSERT INTO seed_words SELECT $1, position, ar, en
           FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS w(ar, en, position)`,
        [kind, ar, en.length === ar.length ? en : ar.map((_, index) => en[index % en.length])],
      );
    await words('first', ARABIC_FIRST, ENGLISH_FIRST);
    await words('last', ARABIC_LAST, ENGLISH_LAST);
    await words('medicine', MEDICINES_AR, MEDICINES_EN);

    await step(
      client,
      log,
      'agents',
      `INSERT INTO agents (id, name, email, password_hash, role, availability, capacity, active, created_at, updated_at)
       SELECT pg_temp.seed_uuid($1 || ':agent:' || n),
              CASE WHEN n % 2 = 0
                   THEN (SELECT ar FROM seed_words WHERE kind = 'first' AND position = 1 + n % 20) || ' '
                        || (SELECT ar FROM seed_words WHERE kind = 'last' AND position = 1 + (n / 2) % 14)
                   ELSE (SELECT en FROM seed_words WHERE kind = 'first' AND position = 1 + n % 14) || ' '
                        || (SELECT en FROM seed_words WHERE kind = 'last' AND position = 1 + (n / 2) % 10) END
                || ' ' || n,
              'agent' || n || '@scale.example', $2, CASE WHEN n % 5 = 1 THEN 'admin' ELSE 'agent' END::"AgentRole",
              'offline', 10, true, $3::timestamptz, $3::timestamptz
         FROM generate_series(1, $4::int) AS n`,
      [String(seed), passwordHash, iso(now - 366 * DAY_MS), full.agents],
    );
    await step(
      client,
      log,
      'teams',
      `INSERT INTO teams (id, name, categories, created_at, updated_at)
       SELECT pg_temp.seed_uuid($1 || ':team:' || n), name, categories::text[], $2::timestamptz, $2::timestamptz
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(name, categories, n)
        WHERE n <= $5`,
      [
        String(seed),
        iso(now - 366 * DAY_MS),
        TEAMS.map((team) => team.name),
        TEAMS.map((team) => `{${team.categories.join(',')}}`),
        full.teams,
      ],
    );
    await step(
      client,
      log,
      'team members',
      `INSERT INTO team_members (team_id, agent_id)
       SELECT pg_temp.seed_uuid($1 || ':team:' || (1 + (n - 1) % $3)), pg_temp.seed_uuid($1 || ':agent:' || n)
         FROM generate_series(1, $2::int) AS n`,
      [String(seed), full.agents, full.teams],
    );
    const box = new SecretBox(channel.secretsKey);
    await step(
      client,
      log,
      'channels',
      `INSERT INTO channels (id, name, provider, key, settings, secrets, enabled, team_id, configured, created_at, updated_at)
       SELECT pg_temp.seed_uuid($1 || ':channel:' || n), 'Pharmacy ' || key, 'wppconnect', key,
              jsonb_build_object('sidecarUrl', $2::text, 'session', key), secret, true,
              CASE WHEN n = 3 THEN pg_temp.seed_uuid($1 || ':team:' || least(3, $5::int)) END, false,
              $3::timestamptz, $3::timestamptz
         FROM unnest($4::text[], $6::text[]) WITH ORDINALITY AS c(key, secret, n)`,
      [
        String(seed),
        channel.sidecarUrl,
        iso(now - 366 * DAY_MS),
        channelKeys,
        full.teams,
        channelKeys.map(() => box.seal({ apiKey: channel.apiKey, webhookSecret: channel.webhookSecret })),
      ],
    );
    await step(
      client,
      log,
      'labels',
      `INSERT INTO labels (id, name, color, created_at)
       SELECT pg_temp.seed_uuid($1 || ':label:' || n), name, color, $2::timestamptz
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS l(name, color, n)`,
      [
        String(seed),
        iso(now - 366 * DAY_MS),
        LABELS.map((label) => label.name),
        LABELS.map((label) => label.color),
      ],
    );
    // Customers: names in their language, numbers +20 10/11/12/15 and 8 digits, a bijection of
    // the ordinal (7919 is coprime with 10^8), so no two collide.
    await step(
      client,
      log,
      'customers',
      `INSERT INTO customers (id, phone, name, tags, created_at, updated_at)
       SELECT pg_temp.seed_uuid($1 || ':customer:' || n),
              '+20' || (ARRAY['10', '11', '12', '15'])[1 + n % 4]
                    || lpad((((n / 4)::bigint * 7919 + $1::bigint * 104729) % 100000000)::text, 8, '0'),
              CASE WHEN n % 5 < 3
                   THEN (SELECT ar FROM seed_words WHERE kind = 'first' AND position = 1 + (hashint4(n # $1::int) & 1023) % 20)
                        || ' ' || (SELECT ar FROM seed_words WHERE kind = 'last' AND position = 1 + (hashint4(n + $1::int) & 1023) % 14)
                   ELSE (SELECT en FROM seed_words WHERE kind = 'first' AND position = 1 + (hashint4(n # $1::int) & 1023) % 14)
                        || ' ' || (SELECT en FROM seed_words WHERE kind = 'last' AND position = 1 + (hashint4(n + $1::int) & 1023) % 10) END,
              CASE WHEN n % 17 = 0 THEN ARRAY['chronic'] WHEN n % 29 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END,
              $2::timestamptz - (n % 365) * interval '1 day', $2::timestamptz - (n % 365) * interval '1 day'
         FROM generate_series(1, $3::int) AS n`,
      [String(seed), iso(now), full.customers],
    );

    await client.query(
      `CREATE TEMPORARY TABLE seed_plan (
         number int PRIMARY KEY, customer int, channel text, language text, category text, status text,
         assignee int, team int, opened_at timestamptz, assigned_at timestamptz, first_at timestamptz,
         end_at timestamptz, resolved_at timestamptz, closed_at timestamptz, pending_at timestamptz,
         snoozed_until timestamptz, first_resolved_at timestamptz, reopened_at timestamptz,
         csat_requested_at timestamptz, csat_score smallint, csat_comment text, csat_answered_at timestamptz,
         messages int, ticket_id uuid, agent_id uuid)`,
    );
    const BATCH = 20_000;
    for (let from = 0; from < plans.length; from += BATCH) {
      const batch = plans.slice(from, from + BATCH);
      const column = <T>(value: (plan: TicketPlan) => T) => batch.map(value);
      await client.query(
        `INSERT INTO seed_plan
         SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                              $8::int[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                              $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[],
                              $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::smallint[], $21::text[],
                              $22::timestamptz[], $23::int[])`,
        [
          column((plan) => plan.number),
          column((plan) => plan.customer),
          column((plan) => channelKeys[plan.channel]!),
          column((plan) => plan.language),
          column((plan) => plan.category),
          column((plan) => plan.status),
          column((plan) => plan.assignee),
          column((plan) => plan.team),
          column((plan) => iso(plan.openedAt)),
          column((plan) => iso(plan.assignedAt)),
          column((plan) => iso(plan.firstAt)),
          column((plan) => iso(plan.endAt)),
          column((plan) => iso(plan.resolvedAt)),
          column((plan) => iso(plan.closedAt)),
          column((plan) => iso(plan.pendingAt)),
          column((plan) => iso(plan.snoozedUntil)),
          column((plan) => iso(plan.firstResolvedAt)),
          column((plan) => iso(plan.reopenedAt)),
          column((plan) => iso(plan.csatRequestedAt)),
          column((plan) => plan.csatScore),
          column((plan) => plan.csatComment),
          column((plan) => iso(plan.csatAnsweredAt)),
          column((plan) => plan.messages),
        ],
      );
    }
    // Each ticket's and assignee's id once, rather than per message and event.
    await client.query(
      `UPDATE seed_plan SET ticket_id = pg_temp.seed_uuid($1 || ':ticket:' || number),
                            agent_id = pg_temp.seed_uuid($1 || ':agent:' || assignee)`,
      [String(seed)],
    );
    await client.query('ANALYZE seed_plan');
    log(`seed: ticket plan: ${plans.length} rows`);
    await step(
      client,
      log,
      'tickets',
      `INSERT INTO tickets (id, number, customer_id, channel, provider, status, category, language, assignee_id,
                            menu_pending, menu_attempts, opened_at, assigned_at, first_response_at, resolved_at,
                            closed_at, snoozed_until, team_id, csat_requested_at, csat_score, csat_comment,
                            csat_answered_at, updated_at)
       SELECT pg_temp.seed_uuid($1 || ':ticket:' || p.number), p.number, pg_temp.seed_uuid($1 || ':customer:' || p.customer),
              p.channel, 'wppconnect', p.status::"TicketStatus", p.category, p.language,
              CASE WHEN p.assignee IS NOT NULL THEN pg_temp.seed_uuid($1 || ':agent:' || p.assignee) END,
              false, 0, p.opened_at, p.assigned_at,
              CASE WHEN p.assignee IS NOT NULL AND p.messages >= 4 THEN p.first_at END,
              p.resolved_at, p.closed_at, p.snoozed_until,
              CASE WHEN p.team IS NOT NULL THEN pg_temp.seed_uuid($1 || ':team:' || (p.team + 1)) END,
              p.csat_requested_at, p.csat_score, p.csat_comment, p.csat_answered_at,
              greatest(p.end_at, p.resolved_at, p.closed_at, p.pending_at, p.csat_answered_at, p.assigned_at)
         FROM seed_plan p ORDER BY p.number`,
      [String(seed)],
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('tickets', 'number'), $1::int)`, [plans.length]);

    // The messages' indexes are built once after the insert rather than row by row (the
    // trigram index above all): every index not backing a constraint is dropped and recreated
    // from its own definition, whatever migrations (or another branch) made.
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'messages'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX "${index.name}"`);
    // The rows below reference rows this seed wrote (tickets, agents, messages): their foreign-key
    // checks, one lookup per row (a third of the insert's time), are skipped where allowed
    // (a superuser: replication role replica fires no triggers).
    const superuser = await client.query<{ super: boolean }>(
      `SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user`,
    );
    if (superuser.rows[0]?.super) await client.query(`SET session_replication_role = replica`);
    // Message j of a ticket: 1 the customer's first words, 2 the bot's menu, 3 the customer's
    // choice; from 4 on, with an assignee, the agent (even j, the first at first_at) and the
    // customer (odd j) alternate until end_at; without one the customer keeps writing.
    const MESSAGE_BATCH = Math.max(1, Math.ceil(plans.length / 10));
    let messages = 0;
    for (let from = 1; from <= plans.length; from += MESSAGE_BATCH) {
      messages += await step(
        client,
        log,
        `messages of tickets ${from}–${Math.min(plans.length, from + MESSAGE_BATCH - 1)}`,
        `INSERT INTO messages (id, ticket_id, channel, direction, author, agent_id, provider, provider_message_id,
                               type, text, caption, delivery_status, error, raw, sent_at, created_at, updated_at)
         SELECT pg_temp.seed_uuid($1 || ':message:' || p.number || ':' || j), p.ticket_id, p.channel,
                m.direction::"Direction", m.author::"Author",
                CASE WHEN m.author = 'agent' THEN p.agent_id END,
                'wppconnect',
                CASE WHEN m.author = 'customer' THEN 'true_c' || p.customer || '_' || $1 || '_' || p.number || '_' || j
                     ELSE 'true_s' || p.number || '_' || $1 || '_' || j END,
                m.type,
                CASE WHEN m.type = 'text' THEN m.body END,
                CASE WHEN m.type <> 'text' THEN m.body END,
                CASE WHEN m.direction = 'inbound' THEN 'received'
                     WHEN m.draw % 100 = 0 AND m.author = 'agent' THEN 'failed'
                     WHEN m.draw % 10 = 1 THEN 'delivered' ELSE 'read' END::"DeliveryStatus",
                CASE WHEN m.direction = 'outbound' AND m.draw % 100 = 0 AND m.author = 'agent'
                     THEN 'The sidecar did not answer (timeout)' END,
                CASE WHEN m.author = 'bot' THEN '{"kind":"menu"}'::jsonb END,
                CASE WHEN m.direction = 'inbound' THEN m.at - interval '1 second' ELSE m.at END, m.at, m.at
           FROM seed_plan p
           CROSS JOIN LATERAL generate_series(1, p.messages) AS j
           CROSS JOIN LATERAL (
             SELECT hashint8extended(p.number::bigint * 1000 + j, $1::bigint) & 2147483647 AS draw,
                    CASE WHEN j = 1 THEN p.opened_at
                         WHEN j = 2 THEN p.opened_at + interval '1 millisecond'
                         WHEN j = 3 THEN p.opened_at + interval '40 seconds'
                         WHEN p.assignee IS NOT NULL
                           THEN p.first_at + (p.end_at - p.first_at) * ((j - 4)::float8 / greatest(p.messages - 4, 1))
                         ELSE p.opened_at + interval '1 minute'
                              + (p.end_at - p.opened_at - interval '1 minute') * ((j - 4)::float8 / greatest(p.messages - 4, 1))
                    END AS at,
                    CASE WHEN j = 2 OR (j >= 4 AND j % 2 = 0 AND p.assignee IS NOT NULL) THEN 'outbound' ELSE 'inbound' END AS direction,
                    CASE WHEN j = 2 THEN 'bot' WHEN j >= 4 AND j % 2 = 0 AND p.assignee IS NOT NULL THEN 'agent'
                         ELSE 'customer' END AS author
             OFFSET 0
           ) AS k
           CROSS JOIN LATERAL (
             SELECT k.at, k.direction, k.author, k.draw,
                    CASE WHEN k.author = 'customer' AND j > 1 AND k.draw % 33 = 3 THEN 'image'
                         WHEN k.author = 'customer' AND j > 1 AND k.draw % 97 = 5 THEN 'document'
                         ELSE 'text' END AS type,
                    CASE WHEN j = 2 THEN CASE WHEN p.language = 'ar' THEN $2 ELSE $3 END
                         WHEN j = 3 AND p.category IS NOT NULL
                           THEN (array_position($4::text[], p.category))::text
                         ELSE replace(
                           CASE WHEN k.author = 'agent'
                                THEN CASE WHEN p.language = 'ar' THEN ($5::text[])[1 + k.draw % cardinality($5::text[])]
                                          ELSE ($6::text[])[1 + k.draw % cardinality($6::text[])] END
                                ELSE CASE WHEN p.language = 'ar' THEN ($7::text[])[1 + k.draw % cardinality($7::text[])]
                                          ELSE ($8::text[])[1 + k.draw % cardinality($8::text[])] END END,
                           '{m}',
                           CASE WHEN p.language = 'ar' THEN ($9::text[])[1 + (k.draw / 7 + p.number) % cardinality($9::text[])]
                                ELSE ($12::text[])[1 + (k.draw / 7 + p.number) % cardinality($12::text[])] END)
                    END AS body
             OFFSET 0
           ) AS m
          WHERE p.number BETWEEN $10 AND $11`,
        [
          String(seed),
          BOT_MENU.ar,
          BOT_MENU.en,
          CATEGORIES,
          AGENT_AR,
          AGENT_EN,
          CUSTOMER_AR,
          CUSTOMER_EN,
          MEDICINES_AR,
          from,
          from + MESSAGE_BATCH - 1,
          MEDICINES_EN,
        ],
      );
    }
    for (const index of indexes.rows) {
      const begun = performance.now();
      await client.query(index.definition);
      log(`seed: index ${index.name} built in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
    }
    const attachments = await step(
      client,
      log,
      'attachments',
      `INSERT INTO attachments (id, message_id, storage_key, mime_type, size, sha256, original_filename, created_at)
       SELECT pg_temp.seed_uuid(m.id::text || ':attachment'), m.id,
              encode(sha256(m.id::text::bytea), 'hex') || CASE WHEN m.type = 'image' THEN '.jpg' ELSE '.pdf' END,
              CASE WHEN m.type = 'image' THEN 'image/jpeg' ELSE 'application/pdf' END,
              20000 + (hashtext(m.id::text) & 524287), encode(sha256(m.id::text::bytea), 'hex'),
              CASE WHEN m.type = 'document' THEN 'prescription.pdf' END, m.created_at
         FROM messages m WHERE m.type IN ('image', 'document')`,
    );
    await step(
      client,
      log,
      'tickets: last inbound message, first agent reply',
      `UPDATE tickets t SET last_inbound_at = x.at, first_agent_reply_at = x.answered
         FROM (SELECT m.ticket_id, max(m.created_at) FILTER (WHERE m.direction = 'inbound') AS at,
                      min(m.created_at) FILTER (WHERE m.direction = 'outbound' AND m.author = 'agent'
                                                  AND m.created_at >= o.opened_at) AS answered
                 FROM messages m JOIN tickets o ON o.id = m.ticket_id
                GROUP BY m.ticket_id) x
        WHERE t.id = x.ticket_id`,
    );
    // The report's rollups, as the triggers on messages keep them (migration
    // 20261129000000_report_rollups), computed once: under the replication role the triggers did
    // not fire, and whatever they wrote otherwise is replaced.
    await client.query('TRUNCATE message_hour_counts, ticket_message_counts');
    await step(
      client,
      log,
      'report rollups: messages per hour',
      `INSERT INTO message_hour_counts (hour, writer, inbound, outbound)
       SELECT date_bin('1 hour', m.created_at, timestamptz '2000-01-01 00:00:00+00'), 0,
              count(*) FILTER (WHERE m.direction = 'inbound'), count(*) FILTER (WHERE m.direction = 'outbound')
         FROM messages m GROUP BY 1`,
    );
    await step(
      client,
      log,
      'report rollups: messages per ticket',
      `INSERT INTO ticket_message_counts (ticket_id, inbound, outbound, first_at, last_at, assignee_id, team_id,
                                          provider, channel, category)
       SELECT m.ticket_id, m.inbound, m.outbound, m.first_at, m.last_at, t.assignee_id, t.team_id, t.provider,
              t.channel, t.category
         FROM (SELECT m.ticket_id, count(*) FILTER (WHERE m.direction = 'inbound') AS inbound,
                      count(*) FILTER (WHERE m.direction = 'outbound') AS outbound,
                      min(m.created_at) AS first_at, max(m.created_at) AS last_at
                 FROM messages m GROUP BY 1) m
         JOIN tickets t ON t.id = m.ticket_id`,
    );
    await step(
      client,
      log,
      'customers: last inbound message',
      `UPDATE customers c SET last_inbound_at = x.at, created_at = least(c.created_at, x.opened), updated_at = x.at
         FROM (SELECT customer_id, max(last_inbound_at) AS at, min(opened_at) AS opened FROM tickets GROUP BY customer_id) x
        WHERE c.id = x.customer_id`,
    );
    const events = await step(
      client,
      log,
      'ticket events',
      `INSERT INTO ticket_events (ticket_id, type, agent_id, data, created_at)
       SELECT p.ticket_id, e.type, e.agent_id, e.data, e.at
         FROM seed_plan p
         CROSS JOIN LATERAL (SELECT p.agent_id AS agent) a
         CROSS JOIN LATERAL (VALUES
           ('opened', NULL::uuid, NULL::jsonb, p.opened_at, true),
           ('classified', NULL, jsonb_build_object('category', p.category, 'by', 'bot'), p.opened_at + interval '40 seconds',
            p.category IS NOT NULL),
           ('assigned', a.agent, '{"by":"auto"}'::jsonb,
            CASE WHEN p.reopened_at IS NULL THEN p.assigned_at ELSE p.first_at - interval '1 minute' END,
            p.assignee IS NOT NULL),
           ('first_response', a.agent, NULL, p.first_at, p.assignee IS NOT NULL AND p.messages >= 4),
           ('status_changed', a.agent, '{"from":"open","to":"resolved"}'::jsonb, p.first_resolved_at,
            p.first_resolved_at IS NOT NULL),
           ('reopened', NULL, NULL, p.reopened_at, p.reopened_at IS NOT NULL),
           ('assigned', a.agent, '{"by":"auto"}'::jsonb, p.assigned_at, p.reopened_at IS NOT NULL),
           ('team_transferred', a.agent, jsonb_build_object('teamId', pg_temp.seed_uuid($1 || ':team:' || (p.team + 1))),
            p.opened_at + interval '2 minutes', p.team IS NOT NULL),
           ('status_changed', a.agent, '{"from":"open","to":"pending"}'::jsonb
              || CASE WHEN p.snoozed_until IS NULL THEN '{}'::jsonb
                      ELSE jsonb_build_object('snoozedUntil', to_char(p.snoozed_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
            p.pending_at, p.status = 'pending'),
           ('status_changed', a.agent, '{"from":"open","to":"resolved"}'::jsonb, p.resolved_at, p.resolved_at IS NOT NULL),
           ('status_changed', a.agent, '{"from":"resolved","to":"closed"}'::jsonb, p.closed_at, p.closed_at IS NOT NULL),
           ('csat_answered', NULL, jsonb_build_object('score', p.csat_score, 'comment', p.csat_comment),
            p.csat_answered_at, p.csat_answered_at IS NOT NULL)
         ) AS e(type, agent_id, data, at, happened)
        WHERE e.happened
        ORDER BY e.at`,
      [String(seed)],
    );
    // The report's resolutions and reopenings with their tickets' keys, as the triggers on
    // ticket_events keep them (migration 20261130000000_report_event_keys).
    await client.query('TRUNCATE report_events');
    await step(
      client,
      log,
      'report rollups: resolutions and reopenings',
      `INSERT INTO report_events (event_id, ticket_id, reopened, at, opened_at, assignee_id, team_id, provider, channel, category)
       SELECT e.id, e.ticket_id, e.type = 'reopened', e.created_at, t.opened_at, t.assignee_id, t.team_id, t.provider,
              t.channel, t.category
         FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
        WHERE e.type = 'reopened'
           OR (e.type = 'status_changed' AND (e.data ->> 'from') IN ('open', 'pending')
               AND (e.data ->> 'to') IN ('resolved', 'closed'))`,
    );
    // Labels on about one ticket in five; read markers: an assignee read each done ticket to the
    // end, and the active ones up to before the customer's last message for about half of them.
    await step(
      client,
      log,
      'ticket labels',
      `INSERT INTO ticket_labels (ticket_id, label_id)
       SELECT pg_temp.seed_uuid($1 || ':ticket:' || p.number), pg_temp.seed_uuid($1 || ':label:' || (1 + p.number % $2))
         FROM seed_plan p WHERE hashint4(p.number # $1::int) % 5 = 0`,
      [String(seed), LABELS.length],
    );
    await step(
      client,
      log,
      'ticket reads',
      `INSERT INTO ticket_reads (ticket_id, agent_id, read_at)
       SELECT t.id, t.assignee_id,
              CASE WHEN t.status IN ('resolved', 'closed') OR p.number % 2 = 0 THEN greatest(p.end_at, t.last_inbound_at)
                   ELSE t.last_inbound_at - interval '1 second' END
         FROM seed_plan p JOIN tickets t ON t.number = p.number
        WHERE t.assignee_id IS NOT NULL AND t.last_inbound_at IS NOT NULL`,
    );
    await step(
      client,
      log,
      'agents: last assignment',
      `UPDATE agents a SET last_assigned_at = x.at
         FROM (SELECT assignee_id, max(assigned_at) AS at FROM tickets WHERE assignee_id IS NOT NULL GROUP BY 1) x
        WHERE a.id = x.assignee_id`,
    );
    await client.query('RESET session_replication_role');
    // VACUUM as well: the seed's own updates left a dead version of every ticket and customer,
    // which a year-old database's autovacuum has long removed; the hot path reads both tables.
    const analyzed = performance.now();
    await client.query('VACUUM (ANALYZE)');
    log(`seed: VACUUM (ANALYZE) in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);

    const counts = await client.query<{ customers: number; tickets: number; teams: number; labels: number }>(
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM teams) AS teams, (SELECT count(*)::int FROM labels) AS labels`,
    );
    const statuses = await client.query<{ status: keyof SeedSummary['statuses']; count: number }>(
      `SELECT status, count(*)::int AS count FROM tickets GROUP BY status`,
    );
    const agents = await client.query<SeededAgent>(
      `SELECT id, email, name, role FROM agents ORDER BY created_at, substring(email FROM '[0-9]+')::int`,
    );
    const threads = await client.query<{ id: string; number: number; assigneeId: string }>(
      `SELECT t.id, t.number, t.assignee_id AS "assigneeId" FROM seed_plan p JOIN tickets t ON t.number = p.number
        WHERE p.number > $1 ORDER BY p.number`,
      [plans.length - threadCount(full)],
    );
    await client.query('DROP TABLE seed_plan, seed_words');
    await client.query('DROP FUNCTION pg_temp.seed_uuid(text)');
    await client.query('RESET maintenance_work_mem');
    await client.query('RESET jit');
    const summary: SeedSummary = {
      customers: counts.rows[0]!.customers,
      tickets: counts.rows[0]!.tickets,
      messages,
      attachments,
      events,
      agents: agents.rows,
      password,
      channels: channelKeys,
      teams: counts.rows[0]!.teams,
      labels: counts.rows[0]!.labels,
      threadTicket: threads.rows[0]!,
      threadTickets: threads.rows,
      statuses: { open: 0, pending: 0, resolved: 0, closed: 0 },
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    for (const entry of statuses.rows) summary.statuses[entry.status] = entry.count;
    log(
      `seed: done in ${summary.seconds} s: ${summary.customers} customers, ${summary.tickets} tickets, ${messages} messages, ${attachments} attachments, ${events} events`,
    );
    return summary;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A failed seed leaves its temporary tables and settings on the connection: closed, not reused.
    client.release(failed);
  }
}
