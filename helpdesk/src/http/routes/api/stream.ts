/**
 * `GET /api/stream`: the signed-in agent's Server-Sent Events stream. Each event has the realtime
 * log's id (`id:`), its type (`event:`, one of REALTIME_EVENT_TYPES in realtime/events.ts, e.g.
 * `message.created`, `ticket.updated`, `agent.availability`, `channel.state`) and a JSON `data:`
 * line with `ticketId`, `ticketNumber` (null for events not about a ticket), `at` and the event's
 * values. Agents get events about their tickets and waiting ones, and those addressed to everyone or
 * to them; admins every event.
 *
 * Reconnecting with `Last-Event-ID` (EventSource does it by itself; `?lastEventId=` also works)
 * first replays what was missed, then continues live, without gaps or repeats. When the log no
 * longer reaches back that far, a `resync` event tells the console to reload what it shows. A
 * `ready` event follows the replay. A comment line every 15 s keeps proxies from closing the
 * connection, and the stream ends with a `logout` event when the session ends.
 *
 * An open stream is the agent's console: while it is open (and its session holds) the agent counts
 * as present (realtime/console-presence.ts); an online agent without one for longer than
 * AGENT_PRESENCE_GRACE_MS is set away (`agent.availability` event).
 */
import type { ServerResponse } from 'node:http';
import { streamQuerySchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { presenceRefreshMs } from '../../../domain/presence';
import { AppError } from '../../../errors';
import { ConsoleHeartbeat, ConsolePresence } from '../../../realtime/console-presence';
import {
  compareEventIds,
  isEventId,
  isVisibleTo,
  REALTIME_EVENT_TYPES,
  type LoggedEvent,
  type RealtimeEventType,
} from '../../../realtime/events';
import type { RealtimeHub } from '../../../realtime/hub';
import { isSessionValid } from '../../../use-cases/auth/check-session';
import { findLiveSessions } from '../../../use-cases/auth/find-live-sessions';
import type { ServerLifecycle } from '../../lifecycle';
import type { ApiRouter } from './api-route';

const HEARTBEAT_MS = 15_000;

/** Event types about something else than a ticket, named as such in the API description. */
const NOT_ABOUT_A_TICKET = [
  'agent.availability',
  'channel.state',
  'labels.changed',
] satisfies RealtimeEventType[];

/** Each event's SSE frame, written once and sent as is on every stream that receives it. */
const frames = new WeakMap<LoggedEvent, string>();

/** The SSE frame of an event: `id:`, `event:` and one JSON `data:` line (see the route's doc). */
function frameOf(entry: LoggedEvent): string {
  let frame = frames.get(entry);
  if (frame === undefined) {
    const { type, ticketId, ticketNumber, at, data } = entry.event;
    const payload = JSON.stringify({ ...data, ticketId, ticketNumber, at });
    frame = `id: ${entry.id}\nevent: ${type}\ndata: ${payload}\n\n`;
    frames.set(entry, frame);
  }
  return frame;
}

/** Open streams of this process, ended when the server closes. */
export type OpenStreams = Set<ServerResponse>;

/**
 * Registers the stream route.
 * @param open filled with open responses (to end them on close).
 * @param lifecycle stops the consoles' presence heartbeat when the server has closed.
 */
export function registerStreamRoutes(
  router: ApiRouter,
  context: Context,
  hub: RealtimeHub,
  open: OpenStreams,
  lifecycle: ServerLifecycle,
): void {
  const consoles = new ConsoleHeartbeat(
    new ConsolePresence(context.redis, context.config.queuePrefix),
    presenceRefreshMs(context.config.agentsApi.presenceGraceMs),
    (sessionIds) => findLiveSessions(context.db, sessionIds),
    context.log.child({ component: 'presence' }),
  );
  consoles.start();
  lifecycle.afterClose(() => consoles.close());
  router.add({
    method: 'GET',
    url: '/api/stream',
    tag: 'realtime',
    summary: 'Realtime events for the signed-in agent (Server-Sent Events)',
    description:
      `Event types: ${REALTIME_EVENT_TYPES.join(', ')} ` +
      `(${NOT_ABOUT_A_TICKET.join(', ')}: ticketId and ticketNumber null); ` +
      'plus ready (replay done), resync (reload: events were missed) and logout. Resume with the ' +
      'Last-Event-ID header.',
    auth: 'agent',
    query: streamQuerySchema,
    produces: 'text/event-stream',
    errors: [503],
    async handler({ agent, query, request, response }) {
      const header = request.headers['last-event-id'];
      const requested = (typeof header === 'string' ? header : query.lastEventId)?.trim();
      const resumeFrom = requested && isEventId(requested) ? requested : null;

      try {
        await hub.start();
      } catch (error) {
        request.log.error({ err: error }, 'realtime hub cannot start');
        throw new AppError('unavailable', 'realtime events are unavailable right now; retry later');
      }
      const raw = response;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // What one tick writes goes out as one chunk: the hub hands every stream each event of an
      // XREAD batch in one loop, and one write per event and stream cost more than the events.
      let pending = '';
      const flush = () => {
        const text = pending;
        pending = '';
        if (text !== '' && !raw.destroyed && !raw.writableEnded) raw.write(text);
      };
      const write = (text: string) => {
        if (pending === '') process.nextTick(flush);
        pending += text;
      };
      write('retry: 2000\n\n');
      open.add(raw);
      const leave = consoles.open(agent.id, agent.sessionId);

      let lastSent = resumeFrom;
      let replaying = true;
      const buffered: LoggedEvent[] = [];
      const send = (entry: LoggedEvent) => {
        if (lastSent && compareEventIds(entry.id, lastSent) <= 0) return;
        lastSent = entry.id;
        if (!isVisibleTo(entry.event, agent)) return;
        write(frameOf(entry));
      };
      const unsubscribe = hub.subscribe((entry) => (replaying ? buffered.push(entry) : send(entry)));

      const heartbeat = setInterval(() => {
        void isSessionValid(context.db, agent.sessionId)
          .then((valid) => {
            if (valid) {
              write(': ping\n\n');
            } else {
              write('event: logout\ndata: {}\n\n');
              flush();
              raw.end();
            }
          })
          .catch(() => write(': ping\n\n'));
      }, HEARTBEAT_MS);
      const finish = () => {
        unsubscribe();
        leave();
        clearInterval(heartbeat);
        open.delete(raw);
      };
      raw.on('close', finish);

      try {
        if (requested && !resumeFrom) write('event: resync\ndata: {"reason":"unknown Last-Event-ID"}\n\n');
        if (resumeFrom) {
          const backlog = await hub.readAfter(resumeFrom);
          if (backlog.gap) write('event: resync\ndata: {"reason":"events were dropped"}\n\n');
          for (const entry of backlog.events) send(entry);
        }
        for (const entry of buffered.splice(0)) send(entry);
        replaying = false;
        write(`event: ready\ndata: ${JSON.stringify({ lastEventId: lastSent })}\n\n`);
      } catch (error) {
        request.log.warn({ err: error }, 'realtime replay failed');
        write('event: resync\ndata: {"reason":"replay failed"}\n\n');
        replaying = false;
      }

      return response;
    },
  });
}
