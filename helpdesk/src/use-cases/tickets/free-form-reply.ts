/**
 * The customer-service window (domain/customer-service-window.ts) as the agents' API answers it:
 * a refused free-form reply becomes a 409 with the reason.
 */
import { checkFreeFormReply } from '../../domain/customer-service-window';
import { AppError } from '../../errors';

/**
 * `checkFreeFormReply` for use cases that answer HTTP: throws when the reply is refused.
 * @param input.provider the ticket's provider; input.lastInboundAt its last inbound message time
 *   (null: none); input.now the current time.
 * @throws AppError conflict (409) with the reason as message and `{ code, closedAt }` as details.
 */
export function assertFreeFormReplyAllowed(input: {
  provider: string;
  lastInboundAt: Date | null;
  now: Date;
}): void {
  const check = checkFreeFormReply(input);
  if (!check.allowed) {
    throw new AppError('conflict', check.reason, {
      code: check.code,
      closedAt: check.closedAt?.toISOString() ?? null,
    });
  }
}
