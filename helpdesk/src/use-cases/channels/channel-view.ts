/**
 * How a channel row is shown by the API (contract `Channel`): never a secret, the non-secret
 * provider settings only to admins, every override key present (null: the deployment's).
 */
import {
  CHANNEL_STATES,
  type ChannelOverrides,
  type ChannelState,
  type ChannelView,
} from '@whatsapp-helpdesk/contract/api';
import type { ChannelRow } from '../../store/channels';

const STATES: ReadonlySet<string> = new Set(CHANNEL_STATES);
const LANGUAGES: ReadonlySet<string> = new Set(['auto', 'ar', 'en']);

/** The stored overrides with every key, null where the deployment's applies. */
export function overridesView(stored: Record<string, unknown>): ChannelOverrides {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const texts = stored.texts;
  return {
    businessHours: text(stored.businessHours),
    businessTimeZone: text(stored.businessTimeZone),
    botLanguage: LANGUAGES.has(String(stored.botLanguage))
      ? (stored.botLanguage as ChannelOverrides['botLanguage'])
      : null,
    texts:
      texts && typeof texts === 'object' && !Array.isArray(texts)
        ? (texts as ChannelOverrides['texts'])
        : null,
    // Only when the channel sets it (absent: CSAT_ENABLED applies).
    ...(typeof stored.csat === 'boolean' ? { csat: stored.csat } : {}),
  };
}

/** The provider's non-secret settings, by provider (what `settings` holds, nothing more). */
function settingsView(row: ChannelRow): ChannelView['settings'] {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const settings = row.settings;
  return row.provider === 'wppconnect'
    ? { sidecarUrl: text(settings.sidecarUrl), session: text(settings.session) || row.key }
    : {
        phoneNumberId: text(settings.phoneNumberId) || row.key,
        businessAccountId: text(settings.businessAccountId),
        graphVersion: text(settings.graphVersion),
        baseUrl: text(settings.baseUrl),
      };
}

/**
 * @param row the stored channel (its `secrets` ciphertext is never read here).
 * @param admin whether the viewer is an admin: only admins see `settings`.
 */
export function channelView(row: ChannelRow, admin: boolean): ChannelView {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    key: row.key,
    enabled: row.enabled,
    configured: row.configured,
    teamId: row.teamId,
    overrides: overridesView(row.overrides),
    settings: admin ? settingsView(row) : null,
    state: (STATES.has(row.state) ? row.state : 'unknown') as ChannelState,
    phone: row.phone,
    since: row.stateSince?.toISOString() ?? null,
    detail: row.stateDetail,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
