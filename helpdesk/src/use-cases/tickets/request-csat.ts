/**
 * The satisfaction question (CSAT, issue 16) after an agent resolves a ticket: a list of ratings 1–5
 * on the Cloud API, numbered text on WPPConnect (the drivers' `sendMenu`), in the ticket's language,
 * at most once per ticket. Off with CSAT_ENABLED=false or a channel's `overrides.csat` false; skipped
 * (and recorded as `csat_skipped`) outside the Cloud API's 24-hour customer-service window.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../context';
import { buildCsatSurvey, decideCsatRequest } from '../../domain/csat';
import { renderMenuAsText } from '../../domain/menu';
import { enqueueOutbound } from '../../jobs/queues';
import { queueCsatQuestion, readCsatFacts, recordCsatSkipped } from '../../store/csat';

/** What asking needs: the database, the queue, the realtime publisher and each channel's bot settings. */
export type CsatDependencies = Pick<Deps, 'pool' | 'queues' | 'realtime' | 'log' | 'channels'>;

/**
 * Asks the customer of a just-resolved ticket to rate the help, when the channel asks and the
 * ticket was never asked.
 * @returns `asked` (queued for sending), or why not: `disabled`, `already_requested`,
 *   `not_resolved`, `outside_customer_service_window` (recorded on the ticket), `not_found`.
 */
export async function requestCsat(deps: CsatDependencies, ticketId: string, now: Date): Promise<string> {
  const ticket = await readCsatFacts(deps.pool, ticketId);
  if (!ticket) return 'not_found';
  const { bot } = deps.channels.effectiveBot(ticket.provider, ticket.channel);
  const decision = decideCsatRequest({
    enabled: bot.csat !== false,
    status: ticket.status,
    csatRequestedAt: ticket.csatRequestedAt,
    provider: ticket.provider,
    lastInboundAt: ticket.lastInboundAt,
    now,
  });
  if (!decision.ask) {
    if (decision.reason === 'outside_customer_service_window') {
      await recordCsatSkipped(deps.pool, ticketId, decision.reason, now);
    }
    deps.log.info({ ticketId, reason: decision.reason }, 'satisfaction question not sent');
    return decision.reason;
  }
  const language =
    ticket.language === 'ar' || ticket.language === 'en'
      ? ticket.language
      : bot.language === 'auto'
        ? 'ar'
        : bot.language;
  const menu = buildCsatSurvey(bot.texts, language);
  const messageId = randomUUID();
  const queued = await queueCsatQuestion(
    deps.pool,
    ticket,
    {
      id: messageId,
      type: 'interactive',
      text: renderMenuAsText(menu),
      raw: { kind: 'menu', menu, csat: true },
    },
    now,
  );
  if (!queued) return 'already_requested';
  await enqueueOutbound(deps.queues, `csat|${ticketId}`, [messageId]);
  await deps.realtime.publishMessage(messageId);
  return 'asked';
}
