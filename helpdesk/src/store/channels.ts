/**
 * Channels (plain SQL over the pool): the WhatsApp numbers the helpdesk serves, their provider
 * settings, encrypted secrets (the caller seals and opens them with infra/secret-box.ts: this
 * module never sees plaintext secrets), team, overrides and last known state. See the migration
 * 20261128150000_channels for the columns.
 */
import { AppError } from '../errors';
import type { Provider } from '../whatsapp/inbound-event';
import { row, rows, type Queryable } from './sql';

/** One row of `channels`, as the rest of the helpdesk sees it. */
export interface ChannelRow {
  id: string;
  name: string;
  provider: Provider;
  /** What tickets.channel and messages.channel hold: the sidecar session or the Cloud API phone number id. */
  key: string;
  /** Non-secret provider settings (wppconnect `{sidecarUrl, session}`, cloud `{phoneNumberId, businessAccountId, graphVersion, baseUrl}`). */
  settings: Record<string, unknown>;
  /** AES-256-GCM ciphertext of the provider secrets (infra/secret-box.ts). */
  secrets: string;
  enabled: boolean;
  teamId: string | null;
  overrides: Record<string, unknown>;
  /** True for the channel the environment describes (upserted on start). */
  configured: boolean;
  state: string;
  /** E.164 of the connected number, when known. */
  phone: string | null;
  stateSince: Date | null;
  stateDetail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What `insertChannel` writes. */
export type NewChannel = Omit<
  ChannelRow,
  'id' | 'state' | 'phone' | 'stateSince' | 'stateDetail' | 'createdAt' | 'updatedAt'
>;

/** What `updateChannel` may change. */
export type ChannelPatch = Partial<
  Pick<ChannelRow, 'name' | 'settings' | 'secrets' | 'enabled' | 'teamId' | 'overrides'>
>;

/** A channel's state as a driver or the sidecar reported it. */
export interface ChannelStateChange {
  state: string;
  phone: string | null;
  since: Date;
  detail: string | null;
}

interface ChannelRecord {
  id: string;
  name: string;
  provider: Provider;
  key: string;
  settings: Record<string, unknown>;
  secrets: string;
  enabled: boolean;
  team_id: string | null;
  overrides: Record<string, unknown>;
  configured: boolean;
  state: string;
  phone: string | null;
  state_since: Date | null;
  state_detail: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, name, provider, key, settings, secrets, enabled, team_id, overrides, configured,
  state, phone, state_since, state_detail, created_at, updated_at`;

function toRow(record: ChannelRecord): ChannelRow {
  return {
    id: record.id,
    name: record.name,
    provider: record.provider,
    key: record.key,
    settings: record.settings,
    secrets: record.secrets,
    enabled: record.enabled,
    teamId: record.team_id,
    overrides: record.overrides ?? {},
    configured: record.configured,
    state: record.state,
    phone: record.phone,
    stateSince: record.state_since,
    stateDetail: record.state_detail,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}

/**
 * Turns PostgreSQL's unique and foreign-key violations into the errors agents understand.
 * @throws AppError conflict naming `name` or the session / phone number id; validation_failed for
 *   an unknown `teamId`; anything else as it came.
 */
function explainWriteError(
  error: unknown,
  input: { name?: string; provider?: Provider; key?: string },
): never {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  if (code === '23505') {
    if (constraint === 'channels_name_key') {
      throw new AppError('conflict', `name: a channel named "${input.name ?? ''}" already exists`);
    }
    const field = input.provider === 'cloud' ? 'cloud.phoneNumberId' : 'wppconnect.session';
    throw new AppError('conflict', `${field}: a channel for "${input.key ?? ''}" already exists`);
  }
  if (code === '23503' && constraint === 'channels_team_id_fkey') {
    throw new AppError('validation_failed', 'teamId: no team has this id');
  }
  throw error;
}

/** Every channel, by name. */
export async function listChannels(pool: Queryable): Promise<ChannelRow[]> {
  const records = await rows<ChannelRecord>(pool, `SELECT ${COLUMNS} FROM channels ORDER BY name, id`);
  return records.map(toRow);
}

/** The channel with this id, or null (an id that is not a uuid finds nothing). */
export async function findChannel(pool: Queryable, id: string): Promise<ChannelRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const record = await row<ChannelRecord>(pool, `SELECT ${COLUMNS} FROM channels WHERE id = $1`, [id]);
  return record ? toRow(record) : null;
}

/** The channel of this provider and key (session / phone number id), or null. */
export async function findChannelByKey(
  pool: Queryable,
  provider: Provider,
  key: string,
): Promise<ChannelRow | null> {
  const record = await row<ChannelRecord>(
    pool,
    `SELECT ${COLUMNS} FROM channels WHERE provider = $1 AND key = $2`,
    [provider, key],
  );
  return record ? toRow(record) : null;
}

/**
 * Adds a channel (state `starting`).
 * @throws AppError conflict when the name, or the provider's session / phone number id, is taken;
 *   validation_failed when `teamId` names no team.
 */
export async function insertChannel(pool: Queryable, input: NewChannel): Promise<ChannelRow> {
  try {
    const record = await row<ChannelRecord>(
      pool,
      `INSERT INTO channels (name, provider, key, settings, secrets, enabled, team_id, overrides, configured)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [
        input.name,
        input.provider,
        input.key,
        JSON.stringify(input.settings),
        input.secrets,
        input.enabled,
        input.teamId,
        JSON.stringify(input.overrides ?? {}),
        input.configured,
      ],
    );
    return toRow(record!);
  } catch (error) {
    explainWriteError(error, input);
  }
}

/**
 * Changes some fields of a channel (its provider and key never change).
 * @returns the channel after the change, or null when there is no such channel.
 * @throws AppError conflict when the new name is taken; validation_failed for an unknown `teamId`.
 */
export async function updateChannel(
  pool: Queryable,
  id: string,
  patch: ChannelPatch,
): Promise<ChannelRow | null> {
  const current = await findChannel(pool, id);
  if (!current) return null;
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.settings !== undefined) set('settings', JSON.stringify(patch.settings));
  if (patch.secrets !== undefined) set('secrets', patch.secrets);
  if (patch.enabled !== undefined) set('enabled', patch.enabled);
  if (patch.teamId !== undefined) set('team_id', patch.teamId);
  if (patch.overrides !== undefined) set('overrides', JSON.stringify(patch.overrides));
  if (sets.length === 0) return current;
  values.push(id);
  try {
    const record = await row<ChannelRecord>(
      pool,
      `UPDATE channels SET ${sets.join(', ')}, updated_at = now() WHERE id = $${values.length} RETURNING ${COLUMNS}`,
      values,
    );
    return record ? toRow(record) : null;
  } catch (error) {
    explainWriteError(error, { name: patch.name, provider: current.provider, key: current.key });
  }
}

/** Deletes a channel (its tickets keep its key). @returns false when there was no such channel. */
export async function deleteChannel(pool: Queryable, id: string): Promise<boolean> {
  if (!(await findChannel(pool, id))) return false;
  // One statement: the channel goes and its tombstone is written (or refreshed) together.
  const deleted = await rows<{ id: string }>(
    pool,
    `WITH gone AS (DELETE FROM channels WHERE id = $1 RETURNING id, provider, key),
          remembered AS (
            INSERT INTO channel_tombstones (provider, key, deleted_at)
            SELECT provider, key, now() FROM gone
            ON CONFLICT (provider, key) DO UPDATE SET deleted_at = EXCLUDED.deleted_at)
     SELECT id FROM gone`,
    [id],
  );
  return deleted.length > 0;
}

/**
 * Whether a channel of this provider and key was deleted less than `withinMs` ago (its tombstone,
 * written by `deleteChannel`).
 */
export async function wasDeletedRecently(
  pool: Queryable,
  provider: Provider,
  key: string,
  withinMs: number,
): Promise<boolean> {
  const found = await rows<{ found: number }>(
    pool,
    `SELECT 1 AS found FROM channel_tombstones
      WHERE provider = $1 AND key = $2 AND deleted_at > now() - make_interval(secs => $3::double precision / 1000)`,
    [provider, key, withinMs],
  );
  return found.length > 0;
}

/**
 * Creates or updates the channel the environment describes, found by provider and key: its
 * settings and secrets follow the environment and it is marked `configured`; a new channel is
 * enabled and takes `name`; an existing one keeps its name, enabled flag, team and overrides (an
 * admin's choices).
 * @throws AppError conflict when a new channel's name is taken by another channel.
 */
export async function upsertConfiguredChannel(
  pool: Queryable,
  input: Pick<NewChannel, 'name' | 'provider' | 'key' | 'settings' | 'secrets'>,
): Promise<ChannelRow> {
  try {
    const record = await row<ChannelRecord>(
      pool,
      `INSERT INTO channels (name, provider, key, settings, secrets, enabled, configured)
       VALUES ($1, $2, $3, $4, $5, true, true)
       ON CONFLICT (provider, key) DO UPDATE SET
         settings = EXCLUDED.settings, secrets = EXCLUDED.secrets, configured = true, updated_at = now()
       RETURNING ${COLUMNS}`,
      [input.name, input.provider, input.key, JSON.stringify(input.settings), input.secrets],
    );
    return toRow(record!);
  } catch (error) {
    explainWriteError(error, input);
  }
}

/**
 * Marks every channel but this one as not described by the environment (the environment now
 * names another channel, e.g. after WHATSAPP_PROVIDER changed).
 */
export async function clearOtherConfiguredChannels(pool: Queryable, keepId: string): Promise<void> {
  await rows(
    pool,
    'UPDATE channels SET configured = false, updated_at = now() WHERE configured AND id <> $1',
    [keepId],
  );
}

/** A channel's stored state as a reader saw it (state, phone and detail). */
export type SeenChannelState = Pick<ChannelRow, 'state' | 'phone' | 'stateDetail'>;

/**
 * Stores a channel's state when it differs from the stored one (state, phone or detail).
 * @param seen when given, the stored state the caller read before asking the driver: the change is
 *   stored only if the row still holds it, so an answer that took its time never overwrites a newer
 *   state recorded meanwhile (a session event).
 * @returns the channel after the change, or null when nothing changed, the row changed since `seen`
 *   or no such channel exists.
 */
export async function recordChannelState(
  pool: Queryable,
  provider: Provider,
  key: string,
  state: ChannelStateChange,
  seen?: SeenChannelState,
): Promise<ChannelRow | null> {
  const record = await row<ChannelRecord>(
    pool,
    `UPDATE channels SET state = $3, phone = $4, state_since = $5, state_detail = $6, updated_at = now()
     WHERE provider = $1 AND key = $2
       AND (state IS DISTINCT FROM $3 OR phone IS DISTINCT FROM $4 OR state_detail IS DISTINCT FROM $6)
       AND (NOT $7 OR (state IS NOT DISTINCT FROM $8 AND phone IS NOT DISTINCT FROM $9
                       AND state_detail IS NOT DISTINCT FROM $10))
     RETURNING ${COLUMNS}`,
    [
      provider,
      key,
      state.state,
      state.phone,
      state.since,
      state.detail,
      seen !== undefined,
      seen?.state ?? null,
      seen?.phone ?? null,
      seen?.stateDetail ?? null,
    ],
  );
  return record ? toRow(record) : null;
}
