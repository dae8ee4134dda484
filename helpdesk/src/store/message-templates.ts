/**
 * WhatsApp message templates of Cloud API channels (issue 17; migration 20261128174000_templates):
 * replaced per channel by each sync from Meta's Graph API, read by the agents' template picker and
 * by a template send.
 */
import type pg from 'pg';
import { row, rows, transaction, type Queryable } from './sql';

/** A template as Meta lists it (`GET /{waba-id}/message_templates`). */
export interface SyncedTemplate {
  name: string;
  language: string;
  category: string;
  status: string;
  /** Meta's components (HEADER, BODY, FOOTER, BUTTONS), as returned. */
  components: Array<Record<string, unknown>>;
}

/** A stored template with its channel. */
export interface TemplateRow {
  id: string;
  channelId: string;
  channelKey: string;
  channelName: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: Array<Record<string, unknown>>;
  syncedAt: Date;
}

const COLUMNS = `t.id, t.channel_id AS "channelId", c.key AS "channelKey", c.name AS "channelName",
  t.name, t.language, t.category, t.status, t.components, t.synced_at AS "syncedAt"`;

/**
 * Stores a sync's result for one channel in one transaction: every listed template inserted or
 * updated (by name and language), every stored one Meta no longer lists deleted.
 * @returns how many stored templates were removed.
 */
export async function replaceChannelTemplates(
  pool: pg.Pool,
  channelId: string,
  templates: SyncedTemplate[],
  syncedAt: Date,
): Promise<number> {
  return transaction(pool, async (client) => {
    if (templates.length) {
      await client.query(
        `INSERT INTO message_templates (channel_id, name, language, category, status, components, synced_at)
         SELECT $1, x.name, x.language, x.category, x.status, x.components, $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
                AS x(name, language, category, status, components)
         ON CONFLICT (channel_id, name, language) DO UPDATE
           SET category = EXCLUDED.category, status = EXCLUDED.status,
               components = EXCLUDED.components, synced_at = EXCLUDED.synced_at`,
        [
          channelId,
          templates.map((template) => template.name),
          templates.map((template) => template.language),
          templates.map((template) => template.category),
          templates.map((template) => template.status),
          templates.map((template) => JSON.stringify(template.components)),
          syncedAt,
        ],
      );
    }
    const removed = await client.query(
      `DELETE FROM message_templates WHERE channel_id = $1 AND synced_at < $2`,
      [channelId, syncedAt],
    );
    return removed.rowCount ?? 0;
  });
}

/**
 * Stored templates, by channel name, template name and language.
 * @param channelKey only the templates of the Cloud API channel with this key (phone number id).
 */
export async function listTemplates(pool: Queryable, channelKey?: string): Promise<TemplateRow[]> {
  return rows<TemplateRow>(
    pool,
    `SELECT ${COLUMNS} FROM message_templates t JOIN channels c ON c.id = t.channel_id
      WHERE ($1::text IS NULL OR c.key = $1)
      ORDER BY c.name, t.name, t.language`,
    [channelKey ?? null],
  );
}

/**
 * The template a send names: the one of the Cloud API channel with key `channelKey`, or, with
 * `channelKey` null (a WPPConnect ticket, which sends the rendered text), any channel's (approved first).
 */
export async function findTemplate(
  pool: Queryable,
  channelKey: string | null,
  name: string,
  language: string,
): Promise<TemplateRow | null> {
  return row<TemplateRow>(
    pool,
    `SELECT ${COLUMNS} FROM message_templates t JOIN channels c ON c.id = t.channel_id
      WHERE c.provider = 'cloud' AND ($1::text IS NULL OR c.key = $1) AND t.name = $2 AND t.language = $3
      ORDER BY (t.status = 'APPROVED') DESC, t.synced_at DESC LIMIT 1`,
    [channelKey, name, language],
  );
}
