/**
 * The states of the WhatsApp session (the machine itself is session-manager.ts). Apart from it so
 * the metrics can name every state without importing the session manager, which records metrics.
 */

/** Every session state, in the order a pairing normally passes through them. */
export const SESSION_STATES = ['starting', 'qr', 'connected', 'disconnected', 'logged_out', 'error'] as const;
export type SessionState = (typeof SESSION_STATES)[number];
