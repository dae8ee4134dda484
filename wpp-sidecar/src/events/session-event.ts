/**
 * A session's state change as the `session` webhook event the helpdesk receives (contract:
 * `sidecarSessionEventSchema`): the channel is the session's name.
 */
import { FIELD_LIMITS, type SidecarSessionEvent } from '@whatsapp-helpdesk/contract/sidecar-events';
import { cleanString, truncate } from '@whatsapp-helpdesk/contract/normalise';
import { sessionEventId } from './event-id';

/** What a session reports of itself (SessionManager's status, by name). */
export interface SessionStateInput {
  /** The session name: the event's `channel`. */
  session: string;
  state: SidecarSessionEvent['state'];
  /** E.164 while connected, else null. */
  phone: string | null;
  /** ISO 8601 time the state was entered. */
  since: string;
  /** Why (the last error, the QR attempt), or null. */
  detail: string | null;
}

/**
 * @param status - the session's status at the change.
 * @returns the event, its id stable for this change; `detail` cleaned and cut to FIELD_LIMITS.sessionDetail,
 *   a phone that is not E.164 reported as null.
 */
export function toSessionEvent(status: SessionStateInput): SidecarSessionEvent {
  const phone = status.phone && /^\+\d{5,20}$/.test(status.phone) ? status.phone : null;
  const detail = status.detail ? truncate(cleanString(status.detail), FIELD_LIMITS.sessionDetail) : null;
  return {
    eventId: sessionEventId(status.session, status.since, status.state),
    type: 'session',
    channel: status.session,
    state: status.state,
    phone,
    since: status.since,
    detail: detail || null,
  };
}
