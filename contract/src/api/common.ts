/**
 * Building blocks the API's resources share: JSON date-times, a person reference, cursor pages,
 * a UUID path parameter and comma-separated query lists.
 */
import { z } from 'zod';

/** An ISO 8601 date-time with offset, as the API writes every date (e.g. `2026-11-28T09:30:00.000Z`). */
export const dateTimeSchema = z.iso.datetime({ offset: true });
export const nullableDateTimeSchema = dateTimeSchema.nullable();

/** Who did something: an agent's id and name. */
export const personSchema = z.object({ id: z.uuid(), name: z.string() });
export type Person = z.infer<typeof personSchema>;

/**
 * A page of a cursor-paginated list: pass `nextCursor` back as `cursor` for the next page (null:
 * the last page).
 * @param id the component name in the OpenAPI document, e.g. `TicketPage`.
 */
export function pageOf<Item extends z.ZodType>(item: Item, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

/** A UUID path parameter, e.g. `{ id }`, whose error names the parameter. */
export const idParamsSchema = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

/**
 * A query-string list: `a,b` or repeated `?x=a&x=b` (documented as a comma-separated list).
 * @param item the schema of one entry.
 */
export function listParam<T extends z.ZodType>(item: T) {
  return z
    .preprocess(
      (value) =>
        value === undefined
          ? undefined
          : (Array.isArray(value) ? value : [value]).flatMap((entry) =>
              String(entry)
                .split(',')
                .map((part) => part.trim())
                .filter(Boolean),
            ),
      z.array(item).optional(),
    )
    .meta({ param: { style: 'form', explode: false } });
}

/**
 * Every item of a small resource at once, `{ items: [...] }` (no pages).
 * @param id the component name in the OpenAPI document, e.g. `LabelList`.
 */
export function listOf<Item extends z.ZodType>(item: Item, id: string) {
  return z.object({ items: z.array(item) }).meta({ id });
}

/**
 * A number a person typed, for `z.preprocess`: Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹)
 * digits and the Arabic decimal separator (٫) read as ASCII, then a numeric string read as a
 * number; anything else is returned as it is, for the number schema to refuse with its message.
 */
export function typedNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const western = value
    .trim()
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0))
    .replace('٫', '.');
  return western !== '' && Number.isFinite(Number(western)) ? Number(western) : value;
}

/** A channel's key from GET /api/channels, or null for every channel (a rule's or policy's match). */
export const channelKeyOrNullSchema = z
  .string({ message: "must be a channel's key or null" })
  .trim()
  .min(1, "must be a channel's key or null")
  .max(200, 'must be at most 200 characters')
  .nullable();

/**
 * A PATCH body: the fields given change, those left out stay; an empty body is refused (400).
 * @param changes the object of optional fields.
 */
export function someChange<Changes extends z.ZodObject>(changes: Changes) {
  return changes.refine(
    (body) => Object.values(body as Record<string, unknown>).some((value) => value !== undefined),
    { message: 'give at least one field to change' },
  );
}
