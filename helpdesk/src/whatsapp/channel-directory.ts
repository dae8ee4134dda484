/**
 * The channels in memory (SPEC section 9): every channel of the `channels` table with its secrets
 * decrypted, read once at start and again every 10 s (and at once after the API's own writes), so
 * that webhooks, workers and the bot find a channel without a database round trip. Secrets never
 * leave the process.
 *
 * `effectiveBot` gives the bot settings, business hours and time zone of a channel: the
 * deployment's (BUSINESS_HOURS, BUSINESS_TIMEZONE, BOT_LANGUAGE, BOT_TEXTS_FILE) with the
 * channel's overrides applied.
 */
import { z } from 'zod';
import type { BotSettings } from '../domain/bot';
import { botTextsSchema, type BotTexts } from '../domain/bot-texts';
import { isTimeZone, parseBusinessHours, type WeeklySchedule } from '../domain/business-hours';
import type { Logger } from '../infra/logger';
import type { SecretBox } from '../infra/secret-box';
import { listChannels, type ChannelRow } from '../store/channels';
import type { Queryable } from '../store/sql';
import type { Provider } from './inbound-event';

/** A WPPConnect channel's non-secret settings: which sidecar, which session on it. */
export interface WppconnectChannelSettings {
  /** Base URL of the sidecar, without a trailing slash. */
  sidecarUrl: string;
  session: string;
}

/** A WPPConnect channel's secrets (the sidecar's API key and webhook signing secret). */
export interface WppconnectChannelSecrets {
  apiKey: string;
  webhookSecret: string;
}

/** A Cloud API channel's non-secret settings. */
export interface CloudChannelSettings {
  phoneNumberId: string;
  businessAccountId: string;
  /** e.g. v23.0. */
  graphVersion: string;
  /** e.g. https://graph.facebook.com, without a trailing slash. */
  baseUrl: string;
}

/** A Cloud API channel's secrets. */
export interface CloudChannelSecrets {
  accessToken: string;
  /** Signs Meta's webhooks (X-Hub-Signature-256). */
  appSecret: string;
  /** Echoed in Meta's verification handshake. */
  verifyToken: string;
}

/** A channel's overrides of the deployment's bot settings (all optional). */
export interface ChannelOverrides {
  /** BUSINESS_HOURS syntax, e.g. `sat-thu 09:00-23:00`; '' = always open. */
  businessHours?: string;
  /** IANA time zone, e.g. Africa/Cairo. */
  businessTimeZone?: string;
  botLanguage?: 'auto' | 'ar' | 'en';
  texts?: Partial<BotTexts>;
  /** Ask for a satisfaction rating (CSAT) on resolution; absent: CSAT_ENABLED. */
  csat?: boolean;
}

interface ChannelBase {
  id: string;
  name: string;
  /** What tickets.channel holds: the session name or the phone number id. */
  key: string;
  enabled: boolean;
  teamId: string | null;
  overrides: ChannelOverrides;
  /** True for the channel the environment describes. */
  configured: boolean;
}

/** A WPPConnect channel, secrets decrypted. */
export interface WppconnectChannel extends ChannelBase {
  provider: 'wppconnect';
  settings: WppconnectChannelSettings;
  secrets: WppconnectChannelSecrets;
}

/** A Cloud API channel, secrets decrypted. */
export interface CloudChannel extends ChannelBase {
  provider: 'cloud';
  settings: CloudChannelSettings;
  secrets: CloudChannelSecrets;
}

/** One WhatsApp number the helpdesk serves, secrets decrypted (never leave the process). */
export type Channel = WppconnectChannel | CloudChannel;

/** The bot settings in force on a channel. */
export interface EffectiveBot {
  bot: BotSettings;
  /** null: always open. */
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
}

const wppconnectSettingsSchema = z.object({ sidecarUrl: z.string().min(1), session: z.string().min(1) });
const wppconnectSecretsSchema = z.object({ apiKey: z.string().min(1), webhookSecret: z.string().min(1) });
const cloudSettingsSchema = z.object({
  phoneNumberId: z.string().min(1),
  businessAccountId: z.string(),
  graphVersion: z.string().min(1),
  baseUrl: z.string().min(1),
});
const cloudSecretsSchema = z.object({
  accessToken: z.string().min(1),
  appSecret: z.string().min(1),
  verifyToken: z.string(),
});

/** How channels' overrides are read (stored by the API, which validates them the same way). */
export const channelOverridesSchema = z.object({
  businessHours: z.string().max(500).nullish(),
  businessTimeZone: z.string().max(100).nullish(),
  botLanguage: z.enum(['auto', 'ar', 'en']).nullish(),
  texts: botTextsSchema.partial().nullish(),
  csat: z.boolean().nullish(),
});

/** How often every process re-reads the channels, ms. */
export const CHANNEL_RELOAD_MS = 10_000;
/** `resolve` re-reads the table for an unknown channel at most this often, ms. */
const RESOLVE_RELOAD_MIN_MS = 1000;

/** What `effectiveBot` starts from: the deployment's settings. */
export interface DeploymentBot {
  bot: BotSettings;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
}

export class ChannelDirectory {
  private channels = new Map<string, Channel>();
  private bots = new Map<string, EffectiveBot>();
  private sorted: Channel[] = [];
  private reloading: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** The read that the channels missed since the last one wait for (`resolve`). */
  private missRead: Promise<void> | null = null;
  private lastReloadAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<() => void>();
  /** Bumped by every reload that changed something: caches built from the channels compare it. */
  version = 0;
  private fingerprint = '';

  /**
   * @param pool the database the channels are read from.
   * @param box opens the channels' secrets (CHANNEL_SECRETS_KEY).
   * @param deployment the deployment's bot settings, business hours and time zone.
   */
  constructor(
    private readonly pool: Queryable,
    private readonly box: SecretBox,
    private readonly deployment: DeploymentBot,
    private readonly log: Logger,
  ) {}

  /**
   * Re-reads the table every `intervalMs` from now on (the timer does not keep the process alive).
   * `close()` stops it.
   */
  startReloading(intervalMs = CHANNEL_RELOAD_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.log.warn({ err: error }, 'channels not reloaded'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the reload timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Calls `listener` after every reload that changed the channels. @returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The channel of this provider and key (session / phone number id), from memory. */
  find(provider: Provider | string, key: string): Channel | undefined {
    return this.channels.get(`${provider}\u0000${key}`);
  }

  /** Every channel whose secrets could be read, by name. */
  list(): Channel[] {
    return this.sorted;
  }

  /**
   * The channel, re-reading the table once when it is not in memory: the read starts after the
   * miss, at once or a second after the last read (so an unknown channel cannot make every job a
   * database round trip; the misses of that second share it). Waiting for it, rather than failing
   * at once, lets a channel created an instant ago be found: a worker that loaded the table just
   * before the API added the channel failed the first events, whose retries then came after the
   * customer's later messages (`npm run bench`: up to 393 conversations out of order).
   * @throws when the database cannot be read.
   */
  async resolve(provider: Provider | string, key: string): Promise<Channel | undefined> {
    const found = this.find(provider, key);
    if (found) return found;
    if (!this.missRead) {
      const wait = Math.max(0, this.lastReloadAt + RESOLVE_RELOAD_MIN_MS - Date.now());
      this.missRead = new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
        // Misses from here on wait for a read of their own.
        this.missRead = null;
        return this.reload();
      });
    }
    await this.missRead;
    return this.find(provider, key);
  }

  /**
   * Re-reads every channel (calls made while one is in progress share it). A channel whose secrets
   * cannot be decrypted (another CHANNEL_SECRETS_KEY) or whose settings are damaged is left out
   * and logged.
   * @throws when the database cannot be read (the channels in memory stay as they were).
   */
  reload(): Promise<void> {
    if (this.reloading) {
      // A read in progress may have started before the caller's write: read once more after it.
      this.queued ??= this.reloading
        .catch(() => {})
        .then(() => {
          this.queued = null;
          return this.reload();
        });
      return this.queued;
    }
    this.reloading = this.read().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  /**
   * The deployment's bot settings with the channel's overrides applied (the deployment's alone for
   * an unknown channel). An override that cannot be used (hours that do not parse, an unknown time
   * zone) is ignored and logged at reload.
   */
  effectiveBot(provider: Provider | string, key: string): EffectiveBot {
    return this.bots.get(`${provider}\u0000${key}`) ?? this.deployment;
  }

  private async read(): Promise<void> {
    const rows = await listChannels(this.pool);
    this.lastReloadAt = Date.now();
    const fingerprint = rows.map((row) => `${row.id}|${row.updatedAt.getTime()}`).join(',');
    if (fingerprint === this.fingerprint) return;
    const channels = new Map<string, Channel>();
    const bots = new Map<string, EffectiveBot>();
    const sorted: Channel[] = [];
    for (const row of rows) {
      const channel = this.decode(row);
      if (!channel) continue;
      const id = `${channel.provider}\u0000${channel.key}`;
      channels.set(id, channel);
      sorted.push(channel);
      bots.set(id, this.applyOverrides(channel));
    }
    this.channels = channels;
    this.bots = bots;
    this.sorted = sorted;
    this.fingerprint = fingerprint;
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  private decode(row: ChannelRow): Channel | undefined {
    try {
      const secrets = this.box.open(row.secrets);
      const overrides = channelOverridesSchema.safeParse(row.overrides ?? {});
      const base = {
        id: row.id,
        name: row.name,
        key: row.key,
        enabled: row.enabled,
        teamId: row.teamId,
        configured: row.configured,
        overrides: overrides.success ? withoutNulls(overrides.data) : {},
      };
      if (row.provider === 'wppconnect') {
        const settings = wppconnectSettingsSchema.parse(row.settings);
        return {
          ...base,
          provider: 'wppconnect',
          settings: { ...settings, sidecarUrl: settings.sidecarUrl.replace(/\/+$/, '') },
          secrets: wppconnectSecretsSchema.parse(secrets),
        };
      }
      const settings = cloudSettingsSchema.parse(row.settings);
      return {
        ...base,
        provider: 'cloud',
        settings: { ...settings, baseUrl: settings.baseUrl.replace(/\/+$/, '') },
        secrets: cloudSecretsSchema.parse(secrets),
      };
    } catch (error) {
      this.log.error(
        { channelId: row.id, channel: row.key, provider: row.provider, reason: (error as Error).message },
        'channel left out: its settings or secrets cannot be read',
      );
      return undefined;
    }
  }

  private applyOverrides(channel: Channel): EffectiveBot {
    const { overrides } = channel;
    const deployment = this.deployment;
    let businessHours = deployment.businessHours;
    if (typeof overrides.businessHours === 'string') {
      try {
        businessHours = parseBusinessHours(overrides.businessHours);
      } catch (error) {
        this.log.warn(
          { channel: channel.key, reason: (error as Error).message },
          'channel business hours override ignored',
        );
      }
    }
    let businessTimeZone = deployment.businessTimeZone;
    if (overrides.businessTimeZone) {
      if (isTimeZone(overrides.businessTimeZone)) businessTimeZone = overrides.businessTimeZone;
      else this.log.warn({ channel: channel.key }, 'channel time zone override ignored: not an IANA zone');
    }
    if (
      overrides.businessHours === undefined &&
      !overrides.businessTimeZone &&
      !overrides.botLanguage &&
      !overrides.texts &&
      overrides.csat === undefined
    ) {
      return deployment;
    }
    return {
      bot: {
        ...deployment.bot,
        language: overrides.botLanguage ?? deployment.bot.language,
        texts: overrides.texts ? { ...deployment.bot.texts, ...overrides.texts } : deployment.bot.texts,
        ...(overrides.csat === undefined ? {} : { csat: overrides.csat }),
      },
      businessHours,
      businessTimeZone,
    };
  }
}

/** The overrides without their null fields (null = the deployment's). */
function withoutNulls(overrides: z.infer<typeof channelOverridesSchema>): ChannelOverrides {
  const result: ChannelOverrides = {};
  if (overrides.businessHours != null) result.businessHours = overrides.businessHours;
  if (overrides.businessTimeZone != null) result.businessTimeZone = overrides.businessTimeZone;
  if (overrides.botLanguage != null) result.botLanguage = overrides.botLanguage;
  if (overrides.texts != null) result.texts = overrides.texts;
  if (overrides.csat != null) result.csat = overrides.csat;
  return result;
}
