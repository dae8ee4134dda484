/** What an audit event says changed: the fields whose value differs, before and after. */

/**
 * The fields that differ between `before` and `after`, as `{ field: { before, after } }`.
 * @param fields the fields to compare (those an action may change).
 */
export function auditChanges(
  before: object,
  after: object,
  fields: readonly string[],
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const from = before as Record<string, unknown>;
  const to = after as Record<string, unknown>;
  for (const field of fields) {
    if (to[field] === undefined) continue;
    if (JSON.stringify(from[field]) !== JSON.stringify(to[field])) {
      changes[field] = { before: from[field] ?? null, after: to[field] };
    }
  }
  return changes;
}

/**
 * A URL as the audit log keeps it: without a user, a password, a query or a fragment, where a
 * receiver's token may sit (`https://crm.example.com/hooks?token=…` → `https://crm.example.com/hooks`).
 * @returns the URL so reduced; text that is no URL as it is, cut at its first `?` or `#`.
 */
export function auditUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0]!;
  }
}
