/**
 * The banner every agent sees while a WhatsApp number they work on is not connected: the number's
 * name, its state and since when, live from the realtime `channel.state` events (through
 * `useChannels`), gone by itself when the number is connected again. Replies on its tickets wait
 * meanwhile, which is what the agent needs to know.
 *
 * Which numbers: enabled ones in `disconnected`, `logged_out`, `error` or `qr`, and those `starting`
 * or `unknown` (no answer from the sidecar or the Graph API: its process may be down) for longer
 * than STARTING_GRACE_MS (a start or a brief blip is not news) or after this console saw them down
 * (a number reconnecting is still not connected). A number routed to a team concerns its
 * members (and admins); one routed to everybody concerns everybody. Lost connections are alerts
 * (`role="alert"`, read out at once); a number waiting for its QR scan or still starting is a status.
 * "Dismiss" hides one number's banner until its state changes.
 */
import { useRef, useState } from 'react';
import type { SessionAgent } from '../api';
import type { ChannelView, Team } from '../channel-types';
import { useI18n } from '../i18n';
import { useNow } from '../inbox/useNow';
import { useChannels } from '../useChannels';

/** A number `starting` for longer than this gets a banner too. */
export const STARTING_GRACE_MS = 60_000;

const ALERT_STATES = new Set(['disconnected', 'logged_out', 'error']);
const DISMISSED_KEY = 'helpdesk.channelBannerDismissed';

/**
 * The channels the banner speaks of, for this agent at `now`.
 * @param teams the teams (empty when unknown: every channel then concerns everybody).
 * @param seenDown ids of channels seen not connected since the console opened (a `starting` one
 *   among them is warned about at once).
 */
export function channelsToWarnAbout(
  list: readonly ChannelView[],
  agent: Pick<SessionAgent, 'id' | 'role'>,
  teams: readonly Team[],
  now: number,
  seenDown: ReadonlySet<string> = new Set(),
): ChannelView[] {
  return list.filter((channel) => {
    if (!channel.enabled) return false;
    const down =
      ALERT_STATES.has(channel.state) ||
      channel.state === 'qr' ||
      ((channel.state === 'starting' || channel.state === 'unknown') &&
        (seenDown.has(channel.id) || !channel.since || now - Date.parse(channel.since) >= STARTING_GRACE_MS));
    if (!down) return false;
    if (agent.role === 'admin' || !channel.teamId) return true;
    const team = teams.find((entry) => entry.id === channel.teamId);
    return !team || team.memberIds.includes(agent.id);
  });
}

/** What one dismissal hides: this channel in this state since this time. */
function dismissalOf(channel: ChannelView): string {
  return `${channel.id}|${channel.state}|${channel.since ?? ''}`;
}

function savedDismissals(): string[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((entry): entry is string => typeof entry === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * @param agent the signed-in agent (team membership, admin).
 * @param onOpenAdmin opens the "WhatsApp numbers" page (given to admins only).
 */
export function ChannelBanner({ agent, onOpenAdmin }: { agent: SessionAgent; onOpenAdmin?: () => void }) {
  const { t, formatTime } = useI18n();
  const { list, teams } = useChannels();
  const now = useNow(10_000);
  const [dismissed, setDismissed] = useState<string[]>(savedDismissals);
  // Channels seen down and not connected since (kept across renders; idempotent, so safe here).
  const seenDown = useRef(new Set<string>()).current;
  for (const channel of list ?? []) {
    if (channel.state === 'connected') seenDown.delete(channel.id);
    else if (channel.state !== 'starting' && channel.state !== 'unknown') seenDown.add(channel.id);
  }
  const shown = channelsToWarnAbout(list ?? [], agent, teams, now, seenDown).filter(
    (channel) => !dismissed.includes(dismissalOf(channel)),
  );
  if (shown.length === 0) return null;

  function dismiss(channel: ChannelView) {
    const next = [...dismissed.filter((entry) => !entry.startsWith(`${channel.id}|`)), dismissalOf(channel)];
    setDismissed(next);
    try {
      sessionStorage.setItem(DISMISSED_KEY, JSON.stringify(next));
    } catch {
      // private mode: dismissed for this page only
    }
  }

  return (
    <div className="channel-banners" aria-label={t.channelBannerLabel} role="region">
      {shown.map((channel) => {
        // An unknown state past the grace is an outage (the sidecar does not answer): an alert.
        const alert = ALERT_STATES.has(channel.state) || channel.state === 'unknown';
        const text = t.channelBannerOne
          .replace('{name}', '\u2068' + channel.name + '\u2069')
          .replace('{state}', t[`channelState_${channel.state}`])
          .replace('{since}', channel.since ? formatTime(channel.since) : '—');
        return (
          <div
            key={channel.id}
            className={`notice channel-banner ${alert ? 'is-alert' : 'is-status'}`}
            role={alert ? 'alert' : 'status'}
            data-notice="channel"
            data-channel-id={channel.id}
            data-state={channel.state}
          >
            <span className="channel-banner-text">
              <strong>{text}</strong> <span>{t.channelBannerHint}</span>
            </span>
            {onOpenAdmin && (
              <button type="button" onClick={onOpenAdmin}>
                {t.channelBannerOpen}
              </button>
            )}
            <button type="button" className="link" onClick={() => dismiss(channel)}>
              {t.dismiss}
            </button>
          </div>
        );
      })}
    </div>
  );
}
