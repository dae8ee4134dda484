/**
 * Admin page: integrations (issue 17). API keys for the pharmacy's own systems — create (name and
 * scopes; the key is shown once, with a copy button), list (prefix, scopes, last use) and revoke —
 * and outgoing webhooks — create (name, URL, events; the generated signing secret shown once),
 * list, enable/disable, delete, and each one's delivery log (status, attempts, last answer).
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  API_KEY_SCOPES,
  OUTGOING_WEBHOOK_EVENTS,
  type ApiKey,
  type ApiKeyScope,
  type OutgoingWebhook,
  type OutgoingWebhookEvent,
  type WebhookDelivery,
} from '@whatsapp-helpdesk/contract/api';
import { api, type SessionAgent } from '../api';
import { useI18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import './integrations.css';

const SCOPE_LABELS: Record<ApiKeyScope, keyof Words> = {
  'messages:send': 'scopeMessagesSend',
  'tickets:read': 'scopeTicketsRead',
  'customers:write': 'scopeCustomersWrite',
};

const DELIVERY_LABELS: Record<WebhookDelivery['status'], keyof Words> = {
  pending: 'deliveryPending',
  delivered: 'deliveryDelivered',
  failed: 'deliveryFailed',
};

/** A secret shown once, with a copy button. */
function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="integration-secret" role="status" data-testid="shown-once">
      <p>{label}</p>
      <code dir="ltr">{value}</code>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? t.integrationCopied : t.integrationCopy}
      </button>
      <button type="button" onClick={onDone}>
        {t.integrationDismiss}
      </button>
    </div>
  );
}

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Integrations({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [error, setError] = useState<string | null>(null);
  const describe = (caught: unknown) => errorText(caught, i18n);
  return (
    <div className="integrations-page" data-testid="integrations-page">
      <p className="muted">{t.integrationsHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ApiKeys onError={(caught) => setError(caught === null ? null : describe(caught))} />
      <Webhooks onError={(caught) => setError(caught === null ? null : describe(caught))} />
    </div>
  );
}

function ApiKeys({ onError }: { onError: (caught: unknown) => void }) {
  const { t, formatTime } = useI18n();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const [shown, setShown] = useState<string | null>(null);

  async function reload() {
    try {
      setKeys((await api.apiKeys()).items);
    } catch (caught) {
      onError(caught);
      setKeys([]);
    }
  }
  useEffect(() => {
    void reload();
    // Loaded once when the page opens.
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || scopes.length === 0) {
      onError(new Error(t.apiKeyMissing));
      return;
    }
    onError(null);
    try {
      const created = await api.createApiKey({ name: name.trim(), scopes });
      setShown(created.key);
      setName('');
      setScopes([]);
      await reload();
    } catch (caught) {
      onError(caught);
    }
  }

  return (
    <section className="integration-section" aria-labelledby="api-keys-title">
      <h3 id="api-keys-title">{t.apiKeysTitle}</h3>
      {shown && <ShownOnce label={t.apiKeyShownOnce} value={shown} onDone={() => setShown(null)} />}
      <form className="integration-form" onSubmit={(event) => void submit(event)}>
        <label>
          {t.apiKeyName}
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={100} />
        </label>
        <fieldset>
          <legend>{t.apiKeyScopes}</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes((current) =>
                    event.target.checked ? [...current, scope] : current.filter((item) => item !== scope),
                  )
                }
              />
              {t[SCOPE_LABELS[scope]]} <code dir="ltr">{scope}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit">{t.apiKeyCreate}</button>
      </form>
      {keys === null ? (
        <p className="muted">{t.loading}</p>
      ) : keys.length === 0 ? (
        <p className="muted">{t.apiKeyEmpty}</p>
      ) : (
        <table className="integration-table">
          <thead>
            <tr>
              <th>{t.apiKeyName}</th>
              <th>{t.apiKeyScopes}</th>
              <th>{t.apiKeyLastUsed}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} className={key.revokedAt ? 'revoked' : undefined}>
                <td>
                  {key.name} <code dir="ltr">{key.prefix}…</code>
                </td>
                <td>{key.scopes.map((scope) => t[SCOPE_LABELS[scope]]).join('، ')}</td>
                <td>{key.lastUsedAt ? formatTime(key.lastUsedAt) : t.apiKeyNeverUsed}</td>
                <td>
                  {key.revokedAt ? (
                    t.apiKeyRevoked
                  ) : (
                    <button
                      type="button"
                      onClick={() => {
                        if (!window.confirm(t.apiKeyRevokeConfirm)) return;
                        void api
                          .revokeApiKey(key.id)
                          .then(reload)
                          .catch((caught: unknown) => onError(caught));
                      }}
                    >
                      {t.apiKeyRevoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Webhooks({ onError }: { onError: (caught: unknown) => void }) {
  const { t, formatTime } = useI18n();
  const [hooks, setHooks] = useState<OutgoingWebhook[] | null>(null);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<OutgoingWebhookEvent[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);

  async function reload() {
    try {
      setHooks((await api.outgoingWebhooks()).items);
    } catch (caught) {
      onError(caught);
      setHooks([]);
    }
  }
  useEffect(() => {
    void reload();
    // Loaded once when the page opens.
  }, []);

  async function showDeliveries(id: string) {
    if (open === id) {
      setOpen(null);
      return;
    }
    setOpen(id);
    setDeliveries(null);
    try {
      setDeliveries((await api.webhookDeliveries(id)).items);
    } catch (caught) {
      onError(caught);
      setDeliveries([]);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !url.trim() || events.length === 0) {
      onError(new Error(t.webhookMissing));
      return;
    }
    onError(null);
    try {
      const created = await api.createOutgoingWebhook({ name: name.trim(), url: url.trim(), events });
      setShown(created.secret);
      setName('');
      setUrl('');
      setEvents([]);
      await reload();
    } catch (caught) {
      onError(caught);
    }
  }

  return (
    <section className="integration-section" aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">{t.webhooksTitle}</h3>
      {shown && <ShownOnce label={t.webhookSecretShownOnce} value={shown} onDone={() => setShown(null)} />}
      <form className="integration-form" onSubmit={(event) => void submit(event)}>
        <label>
          {t.apiKeyName}
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={100} />
        </label>
        <label>
          {t.webhookUrl}
          <input
            dir="ltr"
            type="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://"
          />
        </label>
        <fieldset>
          <legend>{t.webhookEvents}</legend>
          {OUTGOING_WEBHOOK_EVENTS.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(event) =>
                  setEvents((current) =>
                    event.target.checked ? [...current, type] : current.filter((item) => item !== type),
                  )
                }
              />
              <code dir="ltr">{type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit">{t.webhookCreate}</button>
      </form>
      {hooks === null ? (
        <p className="muted">{t.loading}</p>
      ) : hooks.length === 0 ? (
        <p className="muted">{t.webhookEmpty}</p>
      ) : (
        <ul className="integration-webhooks">
          {hooks.map((hook) => (
            <li key={hook.id}>
              <div className="integration-webhook-row">
                <strong>{hook.name}</strong> <code dir="ltr">{hook.url}</code>{' '}
                <span dir="ltr">{hook.events.join(', ')}</span>
                <label>
                  <input
                    type="checkbox"
                    checked={hook.enabled}
                    onChange={(event) =>
                      void api
                        .updateOutgoingWebhook(hook.id, { enabled: event.target.checked })
                        .then(reload)
                        .catch((caught: unknown) => onError(caught))
                    }
                  />
                  {t.webhookEnabled}
                </label>
                <button
                  type="button"
                  aria-expanded={open === hook.id}
                  onClick={() => void showDeliveries(hook.id)}
                >
                  {t.webhookDeliveries}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (!window.confirm(t.webhookDeleteConfirm)) return;
                    void api
                      .deleteOutgoingWebhook(hook.id)
                      .then(reload)
                      .catch((caught: unknown) => onError(caught));
                  }}
                >
                  {t.webhookDelete}
                </button>
              </div>
              {open === hook.id &&
                (deliveries === null ? (
                  <p className="muted">{t.loading}</p>
                ) : deliveries.length === 0 ? (
                  <p className="muted">{t.webhookDeliveriesEmpty}</p>
                ) : (
                  <table className="integration-table" data-testid="webhook-deliveries">
                    <thead>
                      <tr>
                        <th>{t.webhookEvents}</th>
                        <th>{t.statusFilter}</th>
                        <th>{t.webhookAttempts}</th>
                        <th>{t.webhookLastStatus}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {deliveries.map((delivery) => (
                        <tr key={delivery.id}>
                          <td>
                            <code dir="ltr">{delivery.eventType}</code>{' '}
                            <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time>
                          </td>
                          <td>{t[DELIVERY_LABELS[delivery.status]]}</td>
                          <td>{delivery.attempts}</td>
                          <td dir="ltr">
                            {delivery.lastStatusCode ?? ''} {delivery.lastError ?? ''}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
