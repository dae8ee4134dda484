/**
 * Size limits the sidecar shapes every event to before it enters the outbox (a 413 from the helpdesk
 * would dead-letter a real customer message). The length of each field is the contract's
 * (`FIELD_LIMITS` in `@whatsapp-helpdesk/contract/sidecar-events`, which the helpdesk's schemas apply).
 * The body size is the helpdesk's `WEBHOOK_MAX_BYTES` (default 1048576 bytes, `helpdesk/src/config.ts`);
 * the sidecar reads the same variable (config.ts), this is only its default.
 */

/** The helpdesk's default WEBHOOK_MAX_BYTES: largest webhook body, in bytes. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * Sidecar-side caps on `raw` (the audit copy of WPPConnect's object; the helpdesk accepts any JSON there
 * but stores it in PostgreSQL jsonb and queues it through BullMQ, which fail on very deep nesting).
 */
export const RAW_LIMITS = {
  /** Objects/arrays deeper than this are replaced by a marker string. */
  maxDepth: 32,
  /** Longer strings are cut (characters). */
  maxString: 4096,
  /** Longer arrays keep their first items and a marker (items). */
  maxArray: 256,
} as const;
