/**
 * Auto-reply rules (`auto_reply_rules`): read by the bot's cache (whatsapp/auto-reply-directory.ts)
 * with plain SQL, kept by admins through Prisma. Returns plain objects.
 */
import type { Database, Prisma } from './database';
import type { Queryable } from './sql';

/** A rule as stored. */
export interface AutoReplyRuleRow {
  id: string;
  channelKey: string | null;
  keywords: string[];
  reply: { ar: string; en: string };
  enabled: boolean;
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields an admin writes. */
export type AutoReplyRuleFields = Omit<AutoReplyRuleRow, 'id' | 'createdAt' | 'updatedAt'>;

const select = {
  id: true,
  channelKey: true,
  keywords: true,
  reply: true,
  enabled: true,
  position: true,
  createdAt: true,
  updatedAt: true,
} as const;

function toRow(rule: Omit<AutoReplyRuleRow, 'reply'> & { reply: Prisma.JsonValue }): AutoReplyRuleRow {
  return { ...rule, reply: rule.reply as AutoReplyRuleRow['reply'] };
}

/** Every rule, by position then creation (the bot's cache; one query). */
export async function readAutoReplyRules(pool: Queryable): Promise<AutoReplyRuleRow[]> {
  const { rows } = await pool.query<AutoReplyRuleRow>(
    `SELECT id, channel_key AS "channelKey", keywords, reply, enabled, position,
            created_at AS "createdAt", updated_at AS "updatedAt"
       FROM auto_reply_rules ORDER BY position, created_at, id`,
  );
  return rows;
}

/** Every rule, by position then creation. */
export async function listAutoReplyRules(db: Database): Promise<AutoReplyRuleRow[]> {
  const rules = await db.autoReplyRule.findMany({
    select,
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  return rules.map(toRow);
}

/** One rule, or null when there is none. */
export async function findAutoReplyRule(db: Database, id: string): Promise<AutoReplyRuleRow | null> {
  const rule = await db.autoReplyRule.findUnique({ where: { id }, select });
  return rule ? toRow(rule) : null;
}

/** Adds a rule; position null: after the last one. */
export async function insertAutoReplyRule(
  db: Database,
  fields: Omit<AutoReplyRuleFields, 'position'> & { position: number | null },
): Promise<AutoReplyRuleRow> {
  const position =
    fields.position ??
    ((await db.autoReplyRule.aggregate({ _max: { position: true } }))._max.position ?? -1) + 1;
  return toRow(await db.autoReplyRule.create({ data: { ...fields, position }, select }));
}

/** Changes a rule (fields left out stay). @returns the rule after, or null when there is none. */
export async function updateAutoReplyRule(
  db: Database,
  id: string,
  fields: Partial<AutoReplyRuleFields>,
): Promise<AutoReplyRuleRow | null> {
  const { count } = await db.autoReplyRule.updateMany({
    where: { id },
    data: { ...fields, updatedAt: new Date() },
  });
  if (count === 0) return null;
  const rule = await db.autoReplyRule.findUnique({ where: { id }, select });
  return rule ? toRow(rule) : null;
}

/** Deletes a rule. @returns false when there was none. */
export async function deleteAutoReplyRule(db: Database, id: string): Promise<boolean> {
  const { count } = await db.autoReplyRule.deleteMany({ where: { id } });
  return count > 0;
}
