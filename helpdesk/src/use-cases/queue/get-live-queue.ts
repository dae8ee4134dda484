/**
 * The live queue (issue 16, "Live queue"): what an admin's wallboard shows — the tickets waiting
 * for an agent, oldest first, with their response-time target; every active agent with their
 * availability, whether a console of theirs is open, their load against capacity and their last
 * reply; and each WhatsApp number's connection state.
 */
import { CHANNEL_STATES, type ChannelState } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { ticketSla, type TicketSlaView } from '../../domain/sla';
import { ConsolePresence } from '../../realtime/console-presence';
import { listChannels, type ChannelRow } from '../../store/channels';
import { listAgentLoads, listWaitingTickets, type AgentLoadRow } from '../../store/live-queue';

const STATES: ReadonlySet<string> = new Set(CHANNEL_STATES);

/** At most this many waiting tickets are listed (a wallboard shows the oldest). */
export const LIVE_QUEUE_TICKET_LIMIT = 500;

/** The wallboard's content (dates as Dates; the route turns them into ISO 8601). */
export interface LiveQueueView {
  at: Date;
  waiting: Array<{
    id: string;
    number: number;
    customer: { id: string; name: string | null; phone: string | null };
    channel: { key: string; provider: string; name: string | null };
    category: string | null;
    waitingSince: Date;
    sla: TicketSlaView | null;
  }>;
  agents: Array<AgentLoadRow & { consoleOpen: boolean }>;
  channels: Array<
    Pick<ChannelRow, 'id' | 'name' | 'provider' | 'key' | 'enabled' | 'phone'> & {
      state: ChannelState;
      since: Date | null;
    }
  >;
}

/**
 * Reads the live queue.
 * @returns waiting tickets (at most LIVE_QUEUE_TICKET_LIMIT), active agents by name, channels by
 *   name. When Redis cannot answer, every agent shows no open console (logged).
 */
export async function getLiveQueue(
  deps: Pick<Deps, 'pool' | 'redis' | 'config' | 'log'>,
  now = new Date(),
): Promise<LiveQueueView> {
  const [waiting, agents, channels] = await Promise.all([
    listWaitingTickets(deps.pool, now, LIVE_QUEUE_TICKET_LIMIT),
    listAgentLoads(deps.pool),
    listChannels(deps.pool),
  ]);
  const graceMs = deps.config.agentsApi.presenceGraceMs;
  const seen = await new ConsolePresence(deps.redis, deps.config.queuePrefix)
    .lastSeen(agents.map((agent) => agent.id))
    .catch((error: unknown) => {
      deps.log.warn({ err: error }, 'live queue: could not read console presence');
      return new Map<string, number>();
    });
  return {
    at: now,
    waiting: waiting.map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      customer: { id: ticket.customerId, name: ticket.customerName, phone: ticket.customerPhone },
      channel: { key: ticket.channel, provider: ticket.provider, name: ticket.channelName },
      category: ticket.category,
      waitingSince: ticket.waitingSince,
      sla: ticketSla(ticket, now),
    })),
    agents: agents.map((agent) => {
      const lastSeen = seen.get(agent.id);
      return { ...agent, consoleOpen: lastSeen !== undefined && now.getTime() - lastSeen <= graceMs };
    }),
    channels: channels.map((channel) => ({
      id: channel.id,
      name: channel.name,
      provider: channel.provider,
      key: channel.key,
      enabled: channel.enabled,
      state: (STATES.has(channel.state) ? channel.state : 'unknown') as ChannelState,
      phone: channel.phone,
      since: channel.stateSince,
    })),
  };
}
