/**
 * Labels: coloured names an agent puts on tickets (e.g. "VIP", "refund"), kept by admins, and the
 * body that replaces a ticket's labels. Names are unique regardless of letter case.
 */
import { z } from 'zod';

/** `#rrggbb`, e.g. `#1f8a70`. */
export const LABEL_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export const labelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    color: z.string().describe('#rrggbb (lower case)'),
  })
  .meta({ id: 'Label' });
export type Label = z.infer<typeof labelSchema>;

/** `GET /api/labels`: every label, by name. */
export const labelListSchema = z.object({ items: z.array(labelSchema) }).meta({ id: 'LabelList' });
export type LabelList = z.infer<typeof labelListSchema>;

const labelNameSchema = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(40, 'must be at most 40 characters');
const labelColorSchema = z
  .string({ message: 'is required' })
  .regex(LABEL_COLOR_PATTERN, 'must be a colour as #rrggbb')
  .transform((color) => color.toLowerCase());

/** `POST /api/labels` (admins). */
export const labelCreateBodySchema = z.object({ name: labelNameSchema, color: labelColorSchema });
export type LabelCreateBody = z.input<typeof labelCreateBodySchema>;

/** `PATCH /api/labels/:id` (admins): fields left out stay. */
export const labelChangesBodySchema = z
  .object({ name: labelNameSchema.optional(), color: labelColorSchema.optional() })
  .refine((changes) => changes.name !== undefined || changes.color !== undefined, {
    message: 'name or color: give at least one',
  });
export type LabelChangesBody = z.input<typeof labelChangesBodySchema>;

/** `PUT /api/tickets/:id/labels`: the ticket's labels become exactly these (empty: none). */
export const ticketLabelsBodySchema = z.object({
  labelIds: z
    .array(z.uuid({ message: 'must be label ids (UUIDs)' }))
    .max(50, 'at most 50 labels')
    .describe('ids from GET /api/labels; repeats count once'),
});
export type TicketLabelsBody = z.input<typeof ticketLabelsBodySchema>;
