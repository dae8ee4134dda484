/**
 * zod building blocks of the accepting schemas: free text is cleaned (NUL removed, lone surrogates
 * replaced, see ../normalise/text.ts) and shortened instead of refused, so a long or odd field never
 * costs a customer's message; ids are cleaned and must then fit, since shortening changes them.
 */
import { z } from 'zod';
import { cleanString, truncate } from '../normalise/text';

/** A zod string that is cleaned and shortened to `max` characters instead of refused. */
export function lenientText(max: number) {
  return z.string().transform((value) => truncate(cleanString(value), max));
}

/** A zod string that is cleaned and must then have `min`..`max` characters (ids). */
export function cleanId(max: number, min = 1) {
  return z.string().transform(cleanString).pipe(z.string().min(min).max(max));
}

/** An ISO 8601 date-time with a UTC offset or `Z`. */
export const isoTimestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
