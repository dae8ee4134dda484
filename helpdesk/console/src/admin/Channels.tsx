/**
 * Admin page "WhatsApp numbers": every channel with its live state (from the workspace's
 * `useChannels`, kept current by the realtime `channel.state` events), a form per provider to add
 * one, and per number: the QR to scan while a WPPConnect session waits for it (read again every
 * 2 s, so it follows WhatsApp's replacements, until the number is connected), re-pair, log out,
 * test connection, edit (name, team, provider settings, secrets, overrides), enable/disable and
 * delete after a confirmation. The channel described by the server's configuration cannot be
 * deleted here.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type SessionAgent } from '../api';
import type { ChannelQr, ChannelTestResult, ChannelView, Team } from '../channel-types';
import { useI18n, type I18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import {
  changesBody,
  createBody,
  emptyForm,
  fieldOfApiPath,
  formFromChannel,
  validateChannelForm,
  type ChannelField,
  type ChannelForm,
} from './channel-form';
import './channels.css';

/** States whose `detail` (the provider's reason) helps an admin. */
const PROBLEM_STATES: ReadonlySet<string> = new Set(['disconnected', 'logged_out', 'error']);

/** How often the QR is read again while a session waits for a scan. */
export const QR_POLL_MS = 2000;

type Editing = { mode: 'create' } | { mode: 'edit'; id: string } | null;

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Channels({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { list, teams, reload } = useChannels();
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);

  useEffect(() => {
    // The workspace loaded the list when it opened; an admin may have changed it since.
    void reload();
  }, [reload]);

  useEffect(() => {
    if (!focusId) return;
    const card = document.querySelector<HTMLElement>(`[data-channel-id="${focusId}"]`);
    if (card) {
      card.scrollIntoView({ block: 'nearest' });
      card.focus();
      setFocusId(null);
    }
  }, [focusId, list]);

  const edited = editing?.mode === 'edit' ? list?.find((channel) => channel.id === editing.id) : undefined;

  return (
    <div className="channels-page" data-testid="channels-page">
      <p className="muted">{t.channelsHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {editing === null && (
        <div>
          <button
            type="button"
            className="primary"
            data-action="add-channel"
            onClick={() => {
              setError(null);
              setEditing({ mode: 'create' });
            }}
          >
            {t.channelsAdd}
          </button>
        </div>
      )}
      {editing?.mode === 'create' && (
        <ChannelFormView
          mode="create"
          initial={emptyForm()}
          teams={teams}
          onCancel={() => setEditing(null)}
          onSaved={(channel) => {
            setEditing(null);
            setFocusId(channel.id);
            void reload();
          }}
        />
      )}
      {editing?.mode === 'edit' && edited && (
        <ChannelFormView
          key={edited.id}
          mode="edit"
          channel={edited}
          initial={formFromChannel(edited)}
          teams={teams}
          onCancel={() => setEditing(null)}
          onSaved={(channel) => {
            setEditing(null);
            setFocusId(channel.id);
            void reload();
          }}
        />
      )}
      {list === null ? (
        <p className="muted">{t.loading}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t.channelsEmpty}</p>
      ) : (
        <ul className="channels-list">
          {list.map((channel) => (
            <ChannelCard
              key={channel.id}
              channel={channel}
              teams={teams}
              onEdit={() => {
                setError(null);
                setEditing({ mode: 'edit', id: channel.id });
              }}
              onChanged={reload}
              onError={(caught) => setError(errorText(caught, i18n))}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** `{name}`-style placeholders filled in. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** "Connected +20…" or the state's words. */
export function stateText(channel: Pick<ChannelView, 'state' | 'phone'>, t: Words): string {
  // The number isolated left-to-right (U+2066 … U+2069), so "+20…" keeps its plus in Arabic text.
  if (channel.state === 'connected' && channel.phone)
    return fill(t.channelsConnectedAs, { phone: `\u2066${channel.phone}\u2069` });
  return t[`channelState_${channel.state}`];
}

/** One number: its state, the QR while it waits for a scan, and its actions. */
function ChannelCard({
  channel,
  teams,
  onEdit,
  onChanged,
  onError,
}: {
  channel: ChannelView;
  teams: Team[];
  onEdit: () => void;
  onChanged: () => Promise<void>;
  onError: (caught: unknown) => void;
}) {
  const i18n = useI18n();
  const { t, formatTime } = i18n;
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<'delete' | 'logout' | null>(null);
  const [test, setTest] = useState<ChannelTestResult | null>(null);
  const team = channel.teamId ? teams.find((entry) => entry.id === channel.teamId) : undefined;
  const wppconnect = channel.provider === 'wppconnect';
  const pairing = wppconnect && channel.enabled && (channel.state === 'qr' || channel.state === 'starting');

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setTest(null);
    try {
      await action();
      setConfirming(null);
      await onChanged();
    } catch (caught) {
      onError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li
      className={`channel-card${channel.enabled ? '' : ' is-disabled'}`}
      data-channel-id={channel.id}
      data-channel-key={channel.key}
      data-state={channel.state}
      tabIndex={-1}
    >
      <div className="channel-head">
        <h3>
          <bdi>{channel.name}</bdi>
        </h3>
        <span className={`channel-state state-${channel.state}`} data-testid="channel-state">
          <span className="dot" aria-hidden="true" />
          <span className="visually-hidden">{t.channelsState}: </span>
          <bdi>{stateText(channel, t)}</bdi>
        </span>
        {!channel.enabled && <span className="badge">{t.channelsDisabled}</span>}
        {channel.configured && <span className="badge">{t.channelsConfigured}</span>}
      </div>
      <dl className="channel-facts">
        <dt>{t.channelsProvider}</dt>
        <dd>{wppconnect ? t.channelsProviderWppconnect : t.channelsProviderCloud}</dd>
        <dt>{wppconnect ? t.channelsSession : t.channelsPhoneNumberId}</dt>
        <dd>
          <bdi dir="ltr">{channel.key}</bdi>
        </dd>
        {channel.phone && (
          <>
            <dt>{t.panelPhone}</dt>
            <dd>
              <bdi dir="ltr">{channel.phone}</bdi>
            </dd>
          </>
        )}
        {channel.since && (
          <>
            <dt>{t.channelsState}</dt>
            <dd>
              {fill(t.channelsSince, { time: formatTime(channel.since) })}
              {channel.detail && PROBLEM_STATES.has(channel.state) && (
                <>
                  {' · '}
                  {/* The provider's own words (e.g. a sidecar error), kept as they came for diagnosis. */}
                  <bdi dir="ltr" lang="en" className="channel-detail">
                    {channel.detail}
                  </bdi>
                </>
              )}
            </dd>
          </>
        )}
        <dt>{t.channelsTeam}</dt>
        <dd>
          <bdi>{team?.name ?? t.channelsAllAgents}</bdi>
        </dd>
      </dl>
      {pairing && <QrPanel channel={channel} onGone={onChanged} />}
      {test && (
        <p className={test.ok ? 'channel-test ok' : 'channel-test failed'} role="status">
          {test.ok ? t.channelsTestOk : t.channelsTestFailed}
          {test.phone && (
            <>
              {' · '}
              <span dir="ltr">{test.phone}</span>
            </>
          )}
          {test.detail && (
            <>
              {' · '}
              <bdi dir="auto">{test.detail}</bdi>
            </>
          )}
        </p>
      )}
      {confirming ? (
        <div
          className="channel-confirm"
          role="group"
          aria-label={t[confirming === 'delete' ? 'channelsDelete' : 'channelsLogout']}
        >
          <span>
            {fill(confirming === 'delete' ? t.channelsDeleteConfirm : t.channelsLogoutConfirm, {
              name: channel.name,
            })}
          </span>
          <button
            type="button"
            className="danger"
            data-action={`confirm-${confirming}`}
            disabled={busy}
            onClick={() =>
              void run(() =>
                confirming === 'delete' ? api.deleteChannel(channel.id) : api.logoutChannel(channel.id),
              )
            }
          >
            {confirming === 'delete' ? t.channelsDelete : t.channelsLogout}
          </button>
          <button type="button" onClick={() => setConfirming(null)} disabled={busy}>
            {t.cancel}
          </button>
        </div>
      ) : (
        <div className="channel-actions">
          <button type="button" data-action="edit" onClick={onEdit} disabled={busy}>
            {t.channelsEdit}
          </button>
          <button
            type="button"
            data-action="test"
            disabled={busy}
            onClick={() =>
              void (async () => {
                setBusy(true);
                try {
                  setTest(await api.testChannel(channel.id));
                } catch (caught) {
                  onError(caught);
                } finally {
                  setBusy(false);
                }
              })()
            }
          >
            {t.channelsTest}
          </button>
          {wppconnect && (
            <>
              <button
                type="button"
                data-action="restart"
                disabled={busy || !channel.enabled}
                onClick={() => void run(() => api.restartChannel(channel.id))}
              >
                {t.channelsRePair}
              </button>
              <button
                type="button"
                data-action="logout"
                disabled={busy || !channel.enabled}
                onClick={() => setConfirming('logout')}
              >
                {t.channelsLogout}
              </button>
            </>
          )}
          <button
            type="button"
            data-action={channel.enabled ? 'disable' : 'enable'}
            disabled={busy}
            onClick={() => void run(() => api.updateChannel(channel.id, { enabled: !channel.enabled }))}
          >
            {channel.enabled ? t.channelsDisable : t.channelsEnable}
          </button>
          {!channel.configured && (
            <button
              type="button"
              data-action="delete"
              disabled={busy}
              onClick={() => setConfirming('delete')}
            >
              {t.channelsDelete}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The QR of a WPPConnect session that waits for a scan: read now and every QR_POLL_MS while the
 * channel is starting or in `qr`. When a QR was shown and the API no longer has one (409: the
 * session moved on), the list is read again in case the stream missed the change.
 */
function QrPanel({ channel, onGone }: { channel: ChannelView; onGone: () => Promise<void> }) {
  const { t } = useI18n();
  const [qr, setQr] = useState<ChannelQr | null>(null);
  const shown = useRef(false);
  const gone = useRef(onGone);
  gone.current = onGone;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = async () => {
      try {
        const answer = await api.channelQr(channel.id);
        if (stopped) return;
        shown.current = true;
        setQr((current) => (current?.qr === answer.qr ? current : answer));
      } catch (caught) {
        if (stopped) return;
        if (caught instanceof ApiError && caught.status === 409) {
          setQr(null);
          if (shown.current) {
            shown.current = false;
            void gone.current();
          }
        }
      }
      if (!stopped) timer = setTimeout(() => void read(), QR_POLL_MS);
    };
    void read();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [channel.id]);

  return (
    <figure className="channel-qr" data-testid="channel-qr" aria-live="polite">
      {qr ? (
        <>
          <img src={qr.qr} alt={fill(t.channelsQrAlt, { name: channel.name })} width={264} height={264} />
          <figcaption>{t.channelsScan}</figcaption>
        </>
      ) : (
        <figcaption className="muted">{t.channelsQrWaiting}</figcaption>
      )}
    </figure>
  );
}

/** The field's words (label, hint) by form field. */
const LABELS: Record<ChannelField, keyof Words> = {
  name: 'channelsName',
  sidecarUrl: 'channelsSidecarUrl',
  apiKey: 'channelsApiKey',
  webhookSecret: 'channelsWebhookSecret',
  session: 'channelsSession',
  phoneNumberId: 'channelsPhoneNumberId',
  businessAccountId: 'channelsBusinessAccountId',
  accessToken: 'channelsAccessToken',
  appSecret: 'channelsAppSecret',
  verifyToken: 'channelsVerifyToken',
  graphVersion: 'channelsGraphVersion',
  baseUrl: 'channelsBaseUrl',
  teamId: 'channelsTeam',
  businessHours: 'channelsBusinessHours',
  businessTimeZone: 'channelsTimeZone',
  botLanguage: 'channelsBotLanguage',
  welcomeAr: 'channelsWelcomeAr',
  welcomeEn: 'channelsWelcomeEn',
  menuIntroAr: 'channelsMenuIntroAr',
  menuIntroEn: 'channelsMenuIntroEn',
};

const SECRETS: ReadonlySet<ChannelField> = new Set([
  'apiKey',
  'webhookSecret',
  'accessToken',
  'appSecret',
  'verifyToken',
]);

/** Field problems from the API's 400 (`details.fields`, else the `field: problem` message). */
function apiFieldErrors(caught: ApiError, i18n: I18n): Partial<Record<ChannelField, string>> {
  const errors: Partial<Record<ChannelField, string>> = {};
  const fields = (caught.details as { fields?: Array<{ field?: unknown; problem?: unknown }> } | undefined)
    ?.fields;
  const entries: Array<{ field: string; problem: string }> = Array.isArray(fields)
    ? fields.map((entry) => ({ field: String(entry.field ?? ''), problem: String(entry.problem ?? '') }))
    : [];
  if (entries.length === 0) {
    const match = /^([\w.[\]]+): (.+)$/.exec(caught.message);
    if (match) entries.push({ field: match[1]!, problem: match[2]! });
  }
  for (const entry of entries) {
    const field = fieldOfApiPath(entry.field);
    // In Arabic the API's English stays out: the field is marked with the translated sentence.
    if (field && !errors[field])
      errors[field] =
        i18n.language === 'en' && entry.problem ? entry.problem : i18n.t.error_validation_failed;
  }
  return errors;
}

/** Adds (mode create) or edits a channel; checks the fields before sending. */
export function ChannelFormView({
  mode,
  channel,
  initial,
  teams,
  onCancel,
  onSaved,
}: {
  mode: 'create' | 'edit';
  channel?: ChannelView;
  initial: ChannelForm;
  teams: Team[];
  onCancel: () => void;
  onSaved: (channel: ChannelView) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<ChannelForm>(initial);
  const [errors, setErrors] = useState<Partial<Record<ChannelField, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLFormElement>(null);

  const set = <K extends keyof ChannelForm>(key: K, value: ChannelForm[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // A field's problem goes once it is edited (checked again on the next submit).
    setErrors((current) => {
      if (!(key in current)) return current;
      const rest = { ...current };
      delete rest[key as ChannelField];
      return rest;
    });
  };

  function focusFirstInvalid() {
    requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = validateChannelForm(form, mode);
    const shown = Object.fromEntries(
      Object.entries(problems).map(([field, key]) => [field, t[key as keyof Words]]),
    ) as Partial<Record<ChannelField, string>>;
    setErrors(shown);
    if (Object.keys(shown).length > 0) {
      setError(t.channelsFixFields);
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved =
        mode === 'create'
          ? await api.createChannel(createBody(form))
          : await api.updateChannel(channel!.id, changesBody(form));
      onSaved(saved);
    } catch (caught) {
      if (caught instanceof ApiError && (caught.status === 400 || caught.status === 409)) {
        const fieldErrors = apiFieldErrors(caught, i18n);
        setErrors(fieldErrors);
        const words = caught.status === 409 ? t.channelsNameTaken : errorText(caught, i18n);
        setError(
          caught.status === 409 && i18n.language === 'en' && caught.message
            ? `${words} (${caught.message})`
            : words,
        );
        if (Object.keys(fieldErrors).length > 0) focusFirstInvalid();
      } else {
        setError(errorText(caught, i18n));
      }
    } finally {
      setBusy(false);
    }
  }

  const input = (
    field: ChannelField,
    options: {
      type?: string;
      dir?: 'ltr' | 'auto';
      hint?: keyof Words;
      readOnly?: boolean;
      inputMode?: 'numeric';
    } = {},
  ) => {
    const secret = SECRETS.has(field);
    const hint = options.hint ?? (secret && mode === 'edit' ? 'channelsSecretKept' : undefined);
    const id = `channel-${field}`;
    return (
      <Field
        key={field}
        id={id}
        label={t[LABELS[field]]}
        hint={hint ? t[hint] : undefined}
        error={errors[field]}
      >
        <input
          id={id}
          name={field}
          type={options.type ?? (secret ? 'password' : 'text')}
          dir={options.dir ?? 'ltr'}
          autoComplete={secret ? 'new-password' : 'off'}
          inputMode={options.inputMode}
          readOnly={options.readOnly}
          aria-readonly={options.readOnly || undefined}
          value={String(form[field])}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={
            [hint ? `${id}-hint` : '', errors[field] ? `${id}-error` : ''].join(' ').trim() || undefined
          }
          onChange={(event) => set(field, event.target.value as never)}
        />
      </Field>
    );
  };

  const textarea = (field: ChannelField, dir: 'rtl' | 'ltr') => {
    const id = `channel-${field}`;
    return (
      <Field key={field} id={id} label={t[LABELS[field]]} error={errors[field]}>
        <textarea
          id={id}
          name={field}
          dir={dir}
          rows={2}
          value={String(form[field])}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={errors[field] ? `${id}-error` : undefined}
          onChange={(event) => set(field, event.target.value as never)}
        />
      </Field>
    );
  };

  const title =
    mode === 'create' ? t.channelsAddTitle : fill(t.channelsEditTitle, { name: channel?.name ?? '' });
  const wppconnect = form.provider === 'wppconnect';

  return (
    <form
      ref={root}
      className="channel-form"
      data-testid="channel-form"
      aria-label={title}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3>{title}</h3>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {input('name', { dir: 'auto', hint: 'channelsNameHint' })}
      {mode === 'create' ? (
        <fieldset className="channel-provider">
          <legend>{t.channelsProvider}</legend>
          {(['wppconnect', 'cloud'] as const).map((provider) => (
            <label key={provider}>
              <input
                type="radio"
                name="provider"
                value={provider}
                checked={form.provider === provider}
                onChange={() => {
                  set('provider', provider);
                  setErrors({});
                }}
              />
              {provider === 'wppconnect' ? t.channelsProviderWppconnect : t.channelsProviderCloud}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted">
          {t.channelsProvider}: {wppconnect ? t.channelsProviderWppconnect : t.channelsProviderCloud}
        </p>
      )}
      {wppconnect ? (
        <div className="channel-fields" data-provider="wppconnect">
          {input('sidecarUrl', { type: 'url' })}
          {input('session', { hint: 'channelsSessionHint', readOnly: mode === 'edit' })}
          {input('apiKey')}
          {input('webhookSecret')}
        </div>
      ) : (
        <div className="channel-fields" data-provider="cloud">
          {input('phoneNumberId', { inputMode: 'numeric', readOnly: mode === 'edit' })}
          {input('businessAccountId', { inputMode: 'numeric' })}
          {input('accessToken')}
          {input('appSecret')}
          {input('verifyToken')}
          {input('graphVersion')}
          {input('baseUrl', { type: 'url' })}
        </div>
      )}
      <div className="channel-fields">
        <Field id="channel-teamId" label={t.channelsTeam} error={errors.teamId}>
          <select
            id="channel-teamId"
            name="teamId"
            value={form.teamId}
            aria-invalid={errors.teamId ? true : undefined}
            onChange={(event) => set('teamId', event.target.value)}
          >
            <option value="">{t.channelsAllAgents}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </Field>
        <label className="channel-enabled">
          <input
            type="checkbox"
            name="enabled"
            checked={form.enabled}
            onChange={(event) => set('enabled', event.target.checked)}
          />
          {t.channelsEnabled}
        </label>
      </div>
      <details className="channel-overrides" open={hasOverrides(initial) || undefined}>
        <summary>{t.channelsOverrides}</summary>
        <p className="muted">{t.channelsOverridesHint}</p>
        <div className="channel-fields">
          {input('businessHours', { hint: 'channelsBusinessHoursHint' })}
          {input('businessTimeZone', { hint: 'channelsTimeZoneHint' })}
          <Field id="channel-botLanguage" label={t.channelsBotLanguage} error={errors.botLanguage}>
            <select
              id="channel-botLanguage"
              name="botLanguage"
              value={form.botLanguage}
              onChange={(event) => set('botLanguage', event.target.value as ChannelForm['botLanguage'])}
            >
              <option value="">{t.channelsBotLanguageDefault}</option>
              <option value="auto">{t.channelsBotLanguageAuto}</option>
              <option value="ar">{t.cannedArabic}</option>
              <option value="en">{t.cannedEnglish}</option>
            </select>
          </Field>
          {textarea('welcomeAr', 'rtl')}
          {textarea('welcomeEn', 'ltr')}
          {textarea('menuIntroAr', 'rtl')}
          {textarea('menuIntroEn', 'ltr')}
        </div>
      </details>
      <div className="channel-actions">
        <button type="submit" className="primary" disabled={busy} data-action="save-channel">
          {mode === 'create' ? t.channelsCreate : t.channelsSave}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

function hasOverrides(form: ChannelForm): boolean {
  return Boolean(
    form.businessHours ||
    form.businessTimeZone ||
    form.botLanguage ||
    form.welcomeAr ||
    form.welcomeEn ||
    form.menuIntroAr ||
    form.menuIntroEn,
  );
}

/** A labelled control with its hint and its problem (announced when it appears). */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'channel-field invalid' : 'channel-field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="field-error" data-field-error={id.replace(/^channel-/, '')}>
          {error}
        </small>
      )}
    </div>
  );
}
