/**
 * `@lid` -> phone resolution with WPPConnect's own lookup, cached in memory (LRU).
 *
 * `client.getPnLidEntry(lid)` returns `{ lid?, phoneNumber?, contact? }`; for a lid it reads WhatsApp Web's
 * local cache only, so `phoneNumber` may be missing. A missing phone stays null: the digits of a lid are not a
 * phone number and are never used as one.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/retriever.layer.d.ts (`getPnLidEntry`)
 */
import type { PnLidEntry } from './wpp-types';
import { phoneFromUserId } from './recipient';

export interface LidLookup {
  getPnLidEntry(id: string): Promise<PnLidEntry>;
}

/** Resolves lids to E.164 phones; remembers hits for `ttlMs` and misses for `missTtlMs`. */
export class LidResolver {
  private readonly cache = new Map<string, { phone: string | null; expires: number }>();

  /**
   * @param maxEntries - LRU capacity (entries).
   * @param ttlMs - how long a resolved phone is cached (ms).
   * @param missTtlMs - how long an unresolved lid is cached before asking again (ms).
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 24 * 3600_000,
    private readonly missTtlMs = 60_000,
  ) {}

  /**
   * @param client - anything with `getPnLidEntry` (the WPPConnect client).
   * @param lid - `…@lid` id.
   * @returns E.164 phone or null when WhatsApp does not know it (or the lookup failed). Never throws.
   */
  async resolve(client: LidLookup, lid: string): Promise<string | null> {
    const now = Date.now();
    const hit = this.cache.get(lid);
    if (hit && hit.expires > now) {
      this.cache.delete(lid);
      this.cache.set(lid, hit);
      return hit.phone;
    }
    let phone: string | null = null;
    try {
      const entry = await client.getPnLidEntry(lid);
      phone = phoneFromUserId(entry?.phoneNumber?._serialized);
    } catch {
      phone = null;
    }
    this.remember(lid, phone, now);
    return phone;
  }

  /** Record a known mapping (e.g. learnt elsewhere). `phone` is E.164 or null. */
  remember(lid: string, phone: string | null, now = Date.now()): void {
    this.cache.delete(lid);
    this.cache.set(lid, { phone, expires: now + (phone ? this.ttlMs : this.missTtlMs) });
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
