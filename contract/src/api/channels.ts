/**
 * Channels: the WhatsApp numbers the helpdesk serves (SPEC section 9), each a WPPConnect session on
 * a sidecar or a Cloud API phone number id, managed by admins. Secrets (API keys, webhook secrets,
 * access tokens, app secrets, verify tokens) are accepted in bodies and never returned: a channel's
 * view carries only its non-secret settings, and those only to admins.
 */
import { z } from 'zod';
import { CHANNEL_STATES as SESSION_STATES, PROVIDERS } from '../sidecar-events/vocabulary.ts';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';

/** Who carries a channel's messages: our wpp-sidecar (WhatsApp Web) or Meta's WhatsApp Cloud API. */
export const CHANNEL_PROVIDERS = PROVIDERS;
export type ChannelProvider = (typeof CHANNEL_PROVIDERS)[number];

/**
 * A channel's live state: the sidecar session's (`starting|qr|connected|disconnected|logged_out|
 * error`), or `unknown` while nobody has reported one (e.g. the sidecar cannot be reached).
 */
export const CHANNEL_STATES = [...SESSION_STATES, 'unknown'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

/** The bot languages a channel may force (`auto`: the customer's, as the deployment decides). */
export const CHANNEL_BOT_LANGUAGES = ['auto', 'ar', 'en'] as const;

/** A sidecar session name, as wpp-sidecar accepts it: 1–32 of `a-z 0-9 _ -`. */
export const SESSION_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;

/** A Graph API version, e.g. `v23.0`. */
export const GRAPH_VERSION_PATTERN = /^v\d+\.\d+$/;

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII; other characters as they are. */
function westernDigits(value: unknown): unknown {
  return typeof value === 'string'
    ? value
        .trim()
        .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
        .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0))
    : value;
}

/** An id Meta gives as digits (phone number id, WhatsApp Business Account id); Arabic-Indic digits accepted. */
const metaIdSchema = (what: string) =>
  z.preprocess(
    westernDigits,
    z
      .string({ message: 'is required' })
      .regex(/^\d{5,32}$/, `must be the digits of the ${what} (5–32 digits)`),
  );

/** An http(s) URL without credentials; a trailing slash is dropped. */
const httpUrlSchema = z
  .string({ message: 'is required' })
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without a user name or password')
  .transform((value) => value.replace(/\/+$/, ''));

/** A secret the helpdesk keeps encrypted; never returned. */
const secretSchema = (min: number) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(4096, 'must be at most 4096 characters');

const channelNameSchema = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(80, 'must be at most 80 characters')
  .describe('what agents see, e.g. "Nasr City branch"');

const sessionSchema = z
  .string({ message: 'is required' })
  .trim()
  .regex(SESSION_NAME_PATTERN, 'must be 1–32 characters: lowercase letters a-z, digits, "_" or "-"')
  .describe("the sidecar session's name (its tokens/<name>/ profile); cannot change later");

const graphVersionSchema = z
  .string()
  .trim()
  .regex(GRAPH_VERSION_PATTERN, 'must be a Graph API version such as v23.0');

/** Text in Arabic and English (each 1–1024 characters). */
const localisedText = z
  .string({ message: 'is required (Arabic and English are both needed)' })
  .trim()
  .min(1, 'is required')
  .max(1024, 'must be at most 1024 characters');
const localisedSchema = z.object(
  { ar: localisedText, en: localisedText },
  { message: 'must be an object with ar and en texts' },
);

/**
 * A channel's own bot texts: any of the deployment's (BOT_TEXTS_FILE's shape); those left out are
 * the deployment's. `confirmation` may hold `{option}`.
 */
export const channelBotTextsSchema = z
  .object({
    welcome: localisedSchema,
    menuIntro: localisedSchema,
    menuButton: localisedSchema,
    confirmation: localisedSchema,
    invalidChoice: localisedSchema,
    afterHours: localisedSchema,
    menu: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'lower-case letters, digits and _ only'),
          title: localisedSchema,
          description: localisedSchema.partial().optional(),
        }),
      )
      .min(1, 'needs at least one option')
      .max(10, 'at most 10 options'),
    /** The satisfaction survey (CSAT) asked when a ticket is resolved. */
    csatQuestion: localisedSchema,
    csatButton: localisedSchema,
    csatOptions: z.array(localisedSchema).length(5, 'needs the five ratings 1 to 5, in order'),
    csatThanks: localisedSchema,
    csatLowFollowUp: localisedSchema,
  })
  .partial()
  .meta({ id: 'ChannelBotTexts' });
export type ChannelBotTexts = z.infer<typeof channelBotTextsSchema>;

/** Whether `value` is an IANA time zone the runtime's Intl knows (e.g. Africa/Cairo). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** What a channel does differently from the deployment; null: the deployment's. */
export const channelOverridesSchema = z
  .object({
    businessHours: z
      .string()
      .nullable()
      .describe('BUSINESS_HOURS syntax, e.g. "sat-thu 09:00-23:00, fri 14:00-23:00"; "" always open'),
    businessTimeZone: z.string().nullable().describe('IANA, e.g. Africa/Cairo'),
    botLanguage: z.enum(CHANNEL_BOT_LANGUAGES).nullable(),
    texts: channelBotTextsSchema.nullable(),
    csat: z
      .boolean()
      .nullish()
      .describe('ask for a satisfaction rating when a ticket is resolved; null: CSAT_ENABLED'),
  })
  .meta({ id: 'ChannelOverrides' });
export type ChannelOverrides = z.infer<typeof channelOverridesSchema>;

/**
 * Overrides in a body: a key given sets it (null: back to the deployment's), a key left out stays
 * (PATCH) or is the deployment's (POST). The business hours' syntax is checked by the server.
 */
export const channelOverridesBodySchema = z
  .object({
    businessHours: z
      .string({ message: 'must be a schedule such as "sat-thu 09:00-23:00" or null' })
      .trim()
      .max(500, 'must be at most 500 characters')
      .nullable(),
    businessTimeZone: z
      .string({ message: 'must be an IANA time zone such as Africa/Cairo, or null' })
      .trim()
      .refine(isTimeZone, 'must be an IANA time zone such as Africa/Cairo')
      .nullable(),
    botLanguage: z.enum(CHANNEL_BOT_LANGUAGES, { message: 'must be auto, ar, en or null' }).nullable(),
    texts: channelBotTextsSchema.nullable(),
    csat: z.boolean({ message: 'must be true, false or null' }).nullable(),
  })
  .partial();
export type ChannelOverridesBody = z.input<typeof channelOverridesBodySchema>;

/** A WPPConnect channel's non-secret settings (admins only). */
export const wppconnectSettingsSchema = z
  .object({
    sidecarUrl: z.string().describe('the sidecar serving the session, e.g. http://127.0.0.1:21465'),
    session: z.string().describe("the sidecar session's name"),
  })
  .meta({ id: 'WppconnectChannelSettings' });

/** A Cloud API channel's non-secret settings (admins only). */
export const cloudSettingsSchema = z
  .object({
    phoneNumberId: z.string(),
    businessAccountId: z.string(),
    graphVersion: z.string().describe('e.g. v23.0'),
    baseUrl: z.string().describe('e.g. https://graph.facebook.com'),
  })
  .meta({ id: 'CloudChannelSettings' });

/** A channel as the API shows it: never a secret; `settings` only to admins. */
export const channelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    provider: z.enum(CHANNEL_PROVIDERS),
    key: z
      .string()
      .describe("what tickets' `channel` holds: the session name, or the Cloud API phone number id"),
    enabled: z.boolean().describe('false: nothing is sent through it; its events are still taken'),
    configured: z.boolean().describe('true: described by the environment (cannot be deleted here)'),
    teamId: z.uuid().nullable().describe('the team that takes its tickets; null: every agent'),
    overrides: channelOverridesSchema,
    settings: z
      .union([wppconnectSettingsSchema, cloudSettingsSchema])
      .nullable()
      .describe('the non-secret provider settings; null for agents who are not admins'),
    state: z.enum(CHANNEL_STATES),
    phone: z.string().nullable().describe('E.164 of the linked number, when known'),
    since: nullableDateTimeSchema.describe('when the state began'),
    detail: z.string().nullable().describe('why (e.g. the last error), when known'),
    createdAt: dateTimeSchema,
    updatedAt: dateTimeSchema,
  })
  .meta({ id: 'Channel' });
export type ChannelView = z.infer<typeof channelSchema>;

/** `GET /api/channels`: every channel, by name. */
export const channelListSchema = z.array(channelSchema).meta({ id: 'ChannelList' });
export type ChannelList = z.infer<typeof channelListSchema>;

/** What every create body may carry besides the provider's part. */
const channelCommonFields = {
  name: channelNameSchema,
  teamId: z.uuid({ message: 'must be a team id (UUID) or null' }).nullable().optional(),
  enabled: z.boolean({ message: 'must be true or false' }).optional().describe('default true'),
  overrides: channelOverridesBodySchema.optional(),
};

/** The WPPConnect part of `POST /api/channels`. */
export const wppconnectChannelBodySchema = z.object(
  {
    sidecarUrl: httpUrlSchema.describe('e.g. http://127.0.0.1:21465'),
    apiKey: secretSchema(16).describe("the sidecar's API_KEY (X-API-Key)"),
    webhookSecret: secretSchema(16).describe("the sidecar's WEBHOOK_SECRET (signs its events)"),
    session: sessionSchema,
  },
  { message: 'is required (an object with sidecarUrl, apiKey, webhookSecret and session)' },
);

/** The Cloud API part of `POST /api/channels`. */
export const cloudChannelBodySchema = z.object(
  {
    phoneNumberId: metaIdSchema('phone number id (not the phone number)').describe(
      'from WhatsApp Manager; cannot change later',
    ),
    businessAccountId: metaIdSchema('WhatsApp Business Account id'),
    accessToken: secretSchema(20).describe('a system user access token'),
    appSecret: secretSchema(16).describe("the Meta app's secret (signs its webhooks)"),
    verifyToken: secretSchema(16).describe('echoed in the webhook verification handshake'),
    graphVersion: graphVersionSchema.optional().describe("default: the deployment's CLOUD_API_VERSION"),
    baseUrl: httpUrlSchema.optional().describe('default https://graph.facebook.com'),
  },
  {
    message:
      'is required (an object with phoneNumberId, businessAccountId, accessToken, appSecret and verifyToken)',
  },
);

/** `POST /api/channels` (admins): one body per provider. */
export const channelCreateBodySchema = z
  .discriminatedUnion(
    'provider',
    [
      z.object({
        ...channelCommonFields,
        provider: z.literal('wppconnect'),
        wppconnect: wppconnectChannelBodySchema,
      }),
      z.object({ ...channelCommonFields, provider: z.literal('cloud'), cloud: cloudChannelBodySchema }),
    ],
    { message: 'must be "wppconnect" or "cloud"' },
  )
  .meta({ id: 'ChannelCreate' });
export type ChannelCreateBody = z.input<typeof channelCreateBodySchema>;

const unchangeable = (what: string) =>
  z
    .undefined({ message: `cannot change: it is the channel's ${what}; delete the channel and add another` })
    .optional();

/**
 * `PATCH /api/channels/:id` (admins): fields left out stay. A provider part may only change that
 * provider's channel; a secret given replaces the stored one (rotation).
 */
export const channelChangesBodySchema = z
  .object({
    name: channelNameSchema.optional(),
    enabled: z.boolean({ message: 'must be true or false' }).optional(),
    teamId: z.uuid({ message: 'must be a team id (UUID) or null' }).nullable().optional(),
    overrides: channelOverridesBodySchema.optional(),
    wppconnect: z
      .object({
        sidecarUrl: httpUrlSchema.optional(),
        apiKey: secretSchema(16).optional(),
        webhookSecret: secretSchema(16).optional(),
        session: unchangeable('session name'),
      })
      .optional(),
    cloud: z
      .object({
        businessAccountId: metaIdSchema('WhatsApp Business Account id').optional(),
        accessToken: secretSchema(20).optional(),
        appSecret: secretSchema(16).optional(),
        verifyToken: secretSchema(16).optional(),
        graphVersion: graphVersionSchema.optional(),
        baseUrl: httpUrlSchema.optional(),
        phoneNumberId: unchangeable('phone number id'),
      })
      .optional(),
    provider: unchangeable('provider'),
  })
  .meta({ id: 'ChannelChanges' });
export type ChannelChangesBody = z.input<typeof channelChangesBodySchema>;

/** `GET /api/channels/:id/qr`: the QR to scan with WhatsApp (Linked devices), while it is valid. */
export const channelQrSchema = z
  .object({
    qr: z.string().describe('data:image/png;base64,…'),
    expiresAt: dateTimeSchema.describe('WhatsApp replaces it about then: fetch again'),
  })
  .meta({ id: 'ChannelQr' });
export type ChannelQr = z.infer<typeof channelQrSchema>;

/** `POST /api/channels/:id/test`: whether the provider accepts the channel's settings and secrets. */
export const channelTestResultSchema = z
  .object({
    ok: z.boolean(),
    detail: z.string().describe('what was checked, or why it failed'),
    phone: z.string().nullable().describe('the number as the provider reports it, when known'),
  })
  .meta({ id: 'ChannelTestResult' });
export type ChannelTestResult = z.infer<typeof channelTestResultSchema>;
