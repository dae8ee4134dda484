/**
 * Search the customer directory agents use, by name, phone or tag. Every signed-in agent may use
 * it (customers are shared); ticket threads keep their own access rules.
 */
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';
import type { Deps } from '../../context';
import { toAsciiDigits } from '../../domain/menu-choice';
import { findCustomers, type CustomerView } from '../../store/customers';
import { decodeCustomerCursor, encodeCustomerCursor } from './customer-cursor';

/** Fewest digits a search needs to match phones (fewer would match nearly everyone). */
const PHONE_SEARCH_MIN_DIGITS = 3;

/**
 * Customers matching a search, most recently created first.
 * @param query.search name (substring, any case, Arabic spelling variants folded as the global search
 *   folds them), phone digits (substring, national form too) or a
 *   tag (exact); empty lists everyone.
 * @param query.limit 1–100 (default 25).
 * @returns the page and the cursor of the next one (null on the last page).
 * @throws AppError validation_failed for a cursor this API did not make.
 */
export async function searchCustomers(
  db: Deps['pool'],
  query: { search?: string; cursor?: string; limit?: number },
): Promise<{ items: CustomerView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const text = toAsciiDigits(query.search?.trim() ?? '');
  const digits = text.replace(/\D/g, '');
  const phoneDigits: string[] = [];
  if (digits.length >= PHONE_SEARCH_MIN_DIGITS) {
    phoneDigits.push(digits);
    // A national number typed with its leading 0 matches the E.164 form without it.
    if (digits.startsWith('0') && digits.length > 4) phoneDigits.push(digits.slice(1));
  }
  const found = await findCustomers(db, {
    text: text || null,
    // Digits alone are a phone: no name is searched for them.
    folded: phoneDigits.length > 0 && !/\p{L}/u.test(text) ? null : normaliseSearchText(text) || null,
    phoneDigits,
    after: query.cursor ? decodeCustomerCursor(query.cursor) : null,
    limit,
  });
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: found.length > limit && last ? encodeCustomerCursor(last.createdAt, last.id) : null,
  };
}
