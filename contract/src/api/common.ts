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
