/**
 * A canned response as the API shows it, and who may change one: its owner for a personal one,
 * admins for a shared one.
 */
import type { CannedResponseScope } from '@whatsapp-helpdesk/contract/api';
import type { CannedResponseRecord } from '../../store/canned-responses';
import type { SessionAgent } from '../auth/session-token';

/** A canned response with its scope, dates still Dates. */
export interface CannedResponseView {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  language: 'ar' | 'en' | null;
  scope: CannedResponseScope;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The view of a stored row. */
export function cannedResponseView(row: CannedResponseRecord): CannedResponseView {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    language: row.language,
    scope: row.ownerAgentId === null ? 'shared' : 'personal',
    ownerId: row.ownerAgentId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** True when the agent sees the row: shared, or their own personal one. */
export function canSeeCannedResponse(agent: Pick<SessionAgent, 'id'>, row: CannedResponseRecord): boolean {
  return row.ownerAgentId === null || row.ownerAgentId === agent.id;
}

/** True when the agent may change or delete the row: their own personal one, or an admin on a shared one. */
export function canChangeCannedResponse(
  agent: Pick<SessionAgent, 'id' | 'role'>,
  row: CannedResponseRecord,
): boolean {
  return row.ownerAgentId === null ? agent.role === 'admin' : row.ownerAgentId === agent.id;
}
