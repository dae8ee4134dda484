/**
 * The "WhatsApp numbers" form without its screen: the fields an admin fills per provider, the
 * checks made before anything is sent (the API checks again and its 400 names the field), and the
 * bodies of `POST /api/channels` and `PATCH /api/channels/:id` (INTERFACES B).
 *
 * Digits may be typed as Arabic-Indic (٠١٢…) or Eastern Arabic-Indic (۰۱۲…) digits: ids are sent
 * with latin digits.
 */
import type {
  ChannelBotTexts,
  ChannelChangesBody,
  ChannelOverrides,
  ChannelProvider,
  ChannelView,
  CloudChannelSettings,
  NewChannelBody,
  WppconnectChannelSettings,
} from '../channel-types';
import type { Words } from '../i18n';

export interface ChannelForm {
  name: string;
  provider: ChannelProvider;
  // WPPConnect
  sidecarUrl: string;
  apiKey: string;
  webhookSecret: string;
  session: string;
  // Cloud API
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphVersion: string;
  baseUrl: string;
  // Routing and overrides
  teamId: string;
  enabled: boolean;
  businessHours: string;
  businessTimeZone: string;
  botLanguage: '' | 'auto' | 'ar' | 'en';
  welcomeAr: string;
  welcomeEn: string;
  menuIntroAr: string;
  menuIntroEn: string;
}

export type ChannelField = Exclude<keyof ChannelForm, 'provider' | 'enabled'>;

/** A field's problem, as a key of the console's words. */
export type FieldErrors = Partial<Record<ChannelField, keyof Words>>;

export const DEFAULT_GRAPH_VERSION = 'v23.0';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/** The sidecar's session names (contract SESSION_NAME_PATTERN; the console bundles no schema code). */
const SESSION_PATTERN = /^[a-z0-9_-]{1,32}$/;
/** Meta's ids: phone number id, WhatsApp Business Account id (contract: 5–32 digits). */
const DIGITS_PATTERN = /^[0-9]{5,32}$/;
const GRAPH_VERSION_PATTERN = /^v[0-9]+\.[0-9]+$/;
/** The contract's shortest secrets (characters). */
const SECRET_MIN: Partial<Record<ChannelField, number>> = {
  apiKey: 16,
  webhookSecret: 16,
  accessToken: 20,
  appSecret: 16,
  verifyToken: 16,
};
/** Bot texts are given in both languages or not at all (contract channelBotTextsSchema). */
const TEXT_PAIRS: ReadonlyArray<readonly [ChannelField, ChannelField]> = [
  ['welcomeAr', 'welcomeEn'],
  ['menuIntroAr', 'menuIntroEn'],
];

export function emptyForm(provider: ChannelProvider = 'wppconnect'): ChannelForm {
  return {
    name: '',
    provider,
    sidecarUrl: '',
    apiKey: '',
    webhookSecret: '',
    session: '',
    phoneNumberId: '',
    businessAccountId: '',
    accessToken: '',
    appSecret: '',
    verifyToken: '',
    graphVersion: DEFAULT_GRAPH_VERSION,
    baseUrl: DEFAULT_GRAPH_BASE_URL,
    teamId: '',
    enabled: true,
    businessHours: '',
    businessTimeZone: '',
    botLanguage: '',
    welcomeAr: '',
    welcomeEn: '',
    menuIntroAr: '',
    menuIntroEn: '',
  };
}

/** One localised bot text from the overrides' `texts`. */
function textOf(
  texts: ChannelOverrides['texts'],
  key: 'welcome' | 'menuIntro',
  language: 'ar' | 'en',
): string {
  return texts?.[key]?.[language] ?? '';
}

/** The form filled from a channel (secrets empty: they are never returned, and kept unless typed). */
export function formFromChannel(channel: ChannelView): ChannelForm {
  const form = emptyForm(channel.provider);
  const settings = channel.settings;
  const overrides = channel.overrides;
  return {
    ...form,
    name: channel.name,
    ...(channel.provider === 'wppconnect'
      ? {
          sidecarUrl: (settings as WppconnectChannelSettings | null)?.sidecarUrl ?? '',
          session: (settings as WppconnectChannelSettings | null)?.session ?? channel.key,
        }
      : {
          phoneNumberId: (settings as CloudChannelSettings | null)?.phoneNumberId ?? channel.key,
          businessAccountId: (settings as CloudChannelSettings | null)?.businessAccountId ?? '',
          graphVersion: (settings as CloudChannelSettings | null)?.graphVersion ?? DEFAULT_GRAPH_VERSION,
          baseUrl: (settings as CloudChannelSettings | null)?.baseUrl ?? DEFAULT_GRAPH_BASE_URL,
        }),
    teamId: channel.teamId ?? '',
    enabled: channel.enabled,
    businessHours: overrides.businessHours ?? '',
    businessTimeZone: overrides.businessTimeZone ?? '',
    botLanguage: overrides.botLanguage ?? '',
    welcomeAr: textOf(overrides.texts, 'welcome', 'ar'),
    welcomeEn: textOf(overrides.texts, 'welcome', 'en'),
    menuIntroAr: textOf(overrides.texts, 'menuIntro', 'ar'),
    menuIntroEn: textOf(overrides.texts, 'menuIntro', 'en'),
  };
}

/** Latin digits for Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic (U+06F0–06F9) ones. */
export function latinDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (digit) =>
    String((digit.codePointAt(0)! - 0x0660) % 0x90),
  );
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The form's problems, field by field (empty: it may be sent).
 * @param mode `create` needs every secret; `edit` keeps a secret left empty.
 */
export function validateChannelForm(form: ChannelForm, mode: 'create' | 'edit'): FieldErrors {
  const errors: FieldErrors = {};
  const required = (field: ChannelField) => {
    if (!String(form[field]).trim()) errors[field] = 'channelsRequired';
  };
  // A secret left empty while editing keeps the saved one.
  const tooShort = (field: ChannelField) => {
    const length = String(form[field]).trim().length;
    if (length > 0 && length < (SECRET_MIN[field] ?? 0))
      errors[field] = SECRET_MIN[field] === 20 ? 'channelsTooShort20' : 'channelsTooShort16';
  };
  required('name');
  if (form.provider === 'wppconnect') {
    required('sidecarUrl');
    if (form.sidecarUrl.trim() && !isHttpUrl(form.sidecarUrl.trim())) errors.sidecarUrl = 'channelsBadUrl';
    if (mode === 'create') {
      required('session');
      if (form.session.trim() && !SESSION_PATTERN.test(form.session.trim()))
        errors.session = 'channelsBadSession';
      required('apiKey');
      required('webhookSecret');
    }
    tooShort('apiKey');
    tooShort('webhookSecret');
  } else {
    if (mode === 'create') {
      required('phoneNumberId');
      if (form.phoneNumberId.trim() && !DIGITS_PATTERN.test(latinDigits(form.phoneNumberId.trim())))
        errors.phoneNumberId = 'channelsBadDigits';
      required('accessToken');
      required('appSecret');
      required('verifyToken');
    }
    tooShort('accessToken');
    tooShort('appSecret');
    tooShort('verifyToken');
    required('businessAccountId');
    if (form.businessAccountId.trim() && !DIGITS_PATTERN.test(latinDigits(form.businessAccountId.trim())))
      errors.businessAccountId = 'channelsBadDigits';
    if (form.graphVersion.trim() && !GRAPH_VERSION_PATTERN.test(form.graphVersion.trim()))
      errors.graphVersion = 'channelsBadGraphVersion';
    if (form.baseUrl.trim() && !isHttpUrl(form.baseUrl.trim())) errors.baseUrl = 'channelsBadUrl';
  }
  for (const [arabic, english] of TEXT_PAIRS) {
    const hasArabic = Boolean(String(form[arabic]).trim());
    const hasEnglish = Boolean(String(form[english]).trim());
    if (hasArabic && !hasEnglish) errors[english] = 'channelsBothLanguages';
    if (hasEnglish && !hasArabic) errors[arabic] = 'channelsBothLanguages';
  }
  return errors;
}

/** The bot texts typed, each in both languages (none: null, the helpdesk's own texts). */
function textsOf(form: ChannelForm): ChannelBotTexts | null {
  const texts: ChannelBotTexts = {};
  if (form.welcomeAr.trim() && form.welcomeEn.trim())
    texts.welcome = { ar: form.welcomeAr.trim(), en: form.welcomeEn.trim() };
  if (form.menuIntroAr.trim() && form.menuIntroEn.trim())
    texts.menuIntro = { ar: form.menuIntroAr.trim(), en: form.menuIntroEn.trim() };
  return Object.keys(texts).length > 0 ? texts : null;
}

/** The overrides as typed; an empty field is null (the helpdesk's setting applies). */
export function overridesOf(form: ChannelForm): ChannelOverrides {
  return {
    businessHours: form.businessHours.trim() || null,
    businessTimeZone: form.businessTimeZone.trim() || null,
    botLanguage: form.botLanguage || null,
    texts: textsOf(form),
  };
}

/** `POST /api/channels` body of a valid form. */
export function createBody(form: ChannelForm): NewChannelBody {
  const common = {
    name: form.name.trim(),
    teamId: form.teamId || null,
    enabled: form.enabled,
    overrides: overridesOf(form),
  };
  if (form.provider === 'wppconnect')
    return {
      ...common,
      provider: 'wppconnect',
      wppconnect: {
        sidecarUrl: form.sidecarUrl.trim(),
        apiKey: form.apiKey.trim(),
        webhookSecret: form.webhookSecret.trim(),
        session: form.session.trim(),
      },
    };
  return {
    ...common,
    provider: 'cloud',
    cloud: {
      phoneNumberId: latinDigits(form.phoneNumberId.trim()),
      businessAccountId: latinDigits(form.businessAccountId.trim()),
      accessToken: form.accessToken.trim(),
      appSecret: form.appSecret.trim(),
      verifyToken: form.verifyToken.trim(),
      ...(form.graphVersion.trim() ? { graphVersion: form.graphVersion.trim() } : {}),
      ...(form.baseUrl.trim() ? { baseUrl: form.baseUrl.trim() } : {}),
    },
  };
}

/** The object without its undefined members (a PATCH leaves those fields as they are). */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** `PATCH /api/channels/:id` body: everything shown, and the secrets only when typed again. */
export function changesBody(form: ChannelForm): ChannelChangesBody {
  const secret = (value: string) => (value.trim() ? value.trim() : undefined);
  const body: ChannelChangesBody = {
    name: form.name.trim(),
    enabled: form.enabled,
    teamId: form.teamId || null,
    overrides: overridesOf(form),
  };
  if (form.provider === 'wppconnect') {
    body.wppconnect = withoutUndefined({
      sidecarUrl: form.sidecarUrl.trim(),
      apiKey: secret(form.apiKey),
      webhookSecret: secret(form.webhookSecret),
    });
  } else {
    body.cloud = withoutUndefined({
      businessAccountId: latinDigits(form.businessAccountId.trim()),
      accessToken: secret(form.accessToken),
      appSecret: secret(form.appSecret),
      verifyToken: secret(form.verifyToken),
      graphVersion: form.graphVersion.trim() || undefined,
      baseUrl: form.baseUrl.trim() || undefined,
    });
  }
  return body;
}

/**
 * The form field an API validation error names (`details.fields[].field`, e.g.
 * `wppconnect.sidecarUrl`, `cloud.accessToken`, `overrides.businessHours`, `name`), or null.
 */
export function fieldOfApiPath(path: string): ChannelField | null {
  const last = path.split(/[.[\]]/).filter(Boolean);
  const leaf = last[last.length - 1] ?? '';
  if (last[0] === 'overrides' && last[1] === 'texts') {
    const key = last[2] === 'menuIntro' ? 'menuIntro' : last[2] === 'welcome' ? 'welcome' : null;
    if (!key) return null;
    return `${key}${last[3] === 'en' ? 'En' : 'Ar'}` as ChannelField;
  }
  const fields: ChannelField[] = [
    'name',
    'sidecarUrl',
    'apiKey',
    'webhookSecret',
    'session',
    'phoneNumberId',
    'businessAccountId',
    'accessToken',
    'appSecret',
    'verifyToken',
    'graphVersion',
    'baseUrl',
    'teamId',
    'businessHours',
    'businessTimeZone',
    'botLanguage',
  ];
  return fields.includes(leaf as ChannelField) ? (leaf as ChannelField) : null;
}
