/**
 * After a change that may hand many active tickets to another response-time target policy (a
 * policy added, changed or deleted, a team's categories, a channel's team): asks for an sla-check
 * run now instead of at its next repetition (jobs/scheduled-queue.ts `requestSlaCheck`).
 */
import type { Deps } from '../../context';
import { requestSlaCheck } from '../../jobs/scheduled-queue';

/**
 * Requests the run; a failure is logged, never thrown (the change is saved, and the repeated
 * sla-check applies it within SLA_CHECK_MS).
 */
export async function retimeActiveTickets(deps: Pick<Deps, 'queues' | 'log'>): Promise<void> {
  try {
    await requestSlaCheck(deps.queues.scheduled);
  } catch (error) {
    deps.log.warn({ err: error }, 'sla: immediate check not requested; the next repeated check applies it');
  }
}
