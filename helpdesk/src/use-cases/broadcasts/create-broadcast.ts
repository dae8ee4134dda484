/**
 * An admin creates a broadcast (draft): the channel, a text or a template, and a segment — customers
 * with a ticket carrying one of the labels, customers who wrote within N days, or a CSV text of phone
 * numbers (first column of each line, E.164 or national for DEFAULT_COUNTRY, Arabic-Indic digits
 * accepted; a header line or a bad number is reported, not fatal). Opted-out customers are stored as
 * `skipped` with reason `opted_out`; numbers no customer has are sent to a new customer.
 */
import type { BroadcastCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { normalisePhone } from '../../domain/phone';
import { AppError } from '../../errors';
import {
  customersByPhones,
  customersWithLabels,
  customersWroteSince,
  findBroadcastChannel,
  insertBroadcast,
  type NewRecipient,
  type SegmentCustomer,
} from '../../store/broadcasts';
import { resolveTemplate } from '../templates/resolve-template';
import { defaultRatePerMinute, WPPCONNECT_DEFAULT_DAILY_CAP } from './pacing';

export type CreateBroadcastDependencies = Pick<Deps, 'pool' | 'config'>;

/** The body as validated by the contract's schema (numbers parsed). */
export type CreateBroadcastInput = Omit<BroadcastCreateBody, 'ratePerMinute' | 'dailyCap' | 'segment'> & {
  ratePerMinute?: number;
  dailyCap?: number;
  segment: { labelIds?: string[]; wroteWithinDays?: number; phones?: string };
  template?: { name: string; language: string; parameters: { header?: string[]; body: string[] } };
};

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII. */
function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) & 0xf));
}

/**
 * The phones of a CSV text: the first column of each non-empty line.
 * @returns the E.164 phones (without repeats) and the lines that are not a phone number.
 */
export function parsePhoneCsv(
  csv: string,
  defaultCountry: string,
): { phones: string[]; invalidLines: Array<{ line: number; text: string }> } {
  const phones = new Set<string>();
  const invalidLines: Array<{ line: number; text: string }> = [];
  csv.split(/\r?\n/).forEach((text, index) => {
    const first = (text.split(/[,;\t]/)[0] ?? '').trim().replace(/^"|"$/g, '');
    if (!first) return;
    const phone = normalisePhone(westernDigits(first).replace(/[\s().-]/g, ''), defaultCountry);
    if (phone) phones.add(phone);
    else invalidLines.push({ line: index + 1, text: text.slice(0, 200) });
  });
  return { phones: [...phones], invalidLines };
}

/**
 * Creates a broadcast and its recipients (status draft; `start` sends it).
 * @returns its id, recipients to send to, and the CSV lines that are not a phone number.
 * @throws AppError validation_failed naming `channel` (unknown or disabled), `segment` (nobody to
 *   send to, or more than 20 000), `template…` (see resolve-template.ts).
 */
export async function createBroadcast(
  deps: CreateBroadcastDependencies,
  actor: { id: string },
  input: CreateBroadcastInput,
  now = new Date(),
): Promise<{ id: string; recipientCount: number; invalidLines: Array<{ line: number; text: string }> }> {
  const channel = await findBroadcastChannel(deps.pool, input.channel);
  if (!channel) throw new AppError('validation_failed', `channel: no channel "${input.channel}"`);
  if (!channel.enabled) throw new AppError('validation_failed', `channel: "${input.channel}" is disabled`);
  const template = input.template
    ? {
        ...input.template,
        outbound: (await resolveTemplate(deps.pool, channel_(channel), input.template)) as { text: string },
      }
    : null;

  let invalidLines: Array<{ line: number; text: string }> = [];
  let recipients: NewRecipient[];
  const fromCustomer = (customer: SegmentCustomer): NewRecipient => ({
    phone: customer.phone,
    customerId: customer.customerId,
    status: customer.optedOut ? 'skipped' : 'pending',
    reason: customer.optedOut ? 'opted_out' : null,
  });
  if (input.segment.phones !== undefined) {
    const parsed = parsePhoneCsv(input.segment.phones, deps.config.defaultCountry);
    invalidLines = parsed.invalidLines;
    const known = new Map((await customersByPhones(deps.pool, parsed.phones)).map((c) => [c.phone, c]));
    recipients = parsed.phones.map((phone) => {
      const customer = known.get(phone);
      return customer ? fromCustomer(customer) : { phone, customerId: null, status: 'pending', reason: null };
    });
  } else if (input.segment.labelIds) {
    recipients = (await customersWithLabels(deps.pool, input.segment.labelIds)).map(fromCustomer);
  } else {
    const since = new Date(now.getTime() - input.segment.wroteWithinDays! * 86_400_000);
    recipients = (await customersWroteSince(deps.pool, since)).map(fromCustomer);
  }
  // One row per phone (two customers may share a number).
  recipients = [...new Map(recipients.map((r) => [r.phone, r])).values()];
  if (recipients.length === 0) {
    throw new AppError(
      'validation_failed',
      invalidLines.length > 0
        ? `segment.phones: no valid phone number (line ${invalidLines[0]!.line}: "${invalidLines[0]!.text}")`
        : 'segment: no customer with a phone number matches',
    );
  }
  if (recipients.length > 20_000)
    throw new AppError('validation_failed', 'segment: more than 20000 recipients');

  const wpp = channel.provider !== 'cloud';
  const id = await insertBroadcast(
    deps.pool,
    {
      name: input.name,
      channel: channel.key,
      provider: channel.provider,
      text: template ? null : (input.text ?? null),
      template,
      segment:
        input.segment.phones !== undefined
          ? { phones: recipients.length + invalidLines.length, invalidLines: invalidLines.length }
          : input.segment,
      ratePerMinute: input.ratePerMinute ?? defaultRatePerMinute(channel.provider, deps.config.cloud.maxMps),
      dailyCap: input.dailyCap ?? (wpp ? WPPCONNECT_DEFAULT_DAILY_CAP : null),
      createdBy: actor.id,
    },
    recipients,
  );
  return { id, recipientCount: recipients.filter((r) => r.status === 'pending').length, invalidLines };
}

function channel_(channel: { key: string; provider: string }): { channel: string; provider: string } {
  return { channel: channel.key, provider: channel.provider };
}
