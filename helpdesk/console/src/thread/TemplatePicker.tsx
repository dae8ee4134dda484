/**
 * "Send a template" (issue 17): on a Cloud API ticket whose 24-hour customer-service window is
 * closed, WhatsApp accepts only an approved message template. The composer shows why free text is
 * refused and offers this picker: choose one of the channel's APPROVED templates, fill its
 * variables (the customer's name, the ticket number and the agent's name are offered), read the
 * preview and send it (`POST /api/tickets/:id/messages` with `template`).
 *
 * The templates come from `GET /api/templates?channel=<key>` (synced from Meta by an admin or every
 * six hours). Self-contained: the composer renders it with the ticket and calls `onSent`.
 */
import {
  renderTemplate,
  unsupportedTemplatePart,
  type MessageTemplate,
  type TemplateVariables,
} from '@whatsapp-helpdesk/contract/api';
import { useEffect, useId, useMemo, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import './template-picker.css';

/** Length of the customer-service window, ms (Meta, "Customer service windows"). */
const WINDOW_MS = 24 * 3_600_000;

/**
 * Whether a Cloud API ticket's 24-hour window is closed: the customer never wrote on it, or last
 * wrote 24 hours ago or more. WPPConnect has no window.
 */
export function isWindowClosed(
  provider: string | undefined,
  lastInboundAt: string | null,
  now = Date.now(),
): boolean {
  if (provider !== 'cloud') return false;
  if (!lastInboundAt) return true;
  return now - new Date(lastInboundAt).getTime() >= WINDOW_MS;
}

/** Every variable of a template as `header.1`, `body.1`, `body.2`… in filling order. */
function slots(variables: TemplateVariables): Array<{ part: 'header' | 'body'; name: string }> {
  return [
    ...variables.header.map((name) => ({ part: 'header' as const, name })),
    ...variables.body.map((name) => ({ part: 'body' as const, name })),
  ];
}

/**
 * @param ticketId the ticket to send on; channelKey its channel (the templates' channel).
 * @param fill what the agent may insert into a variable: the customer's name, the ticket number,
 *   the agent's name.
 * @param onSent called after the template was stored (reload the thread).
 */
export function TemplatePicker({
  ticketId,
  channelKey,
  fill,
  onSent,
}: {
  ticketId: string;
  channelKey: string;
  fill: { customerName: string | null; ticketNumber: number; agentName: string };
  onSent: () => void;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const id = useId();
  const [open, setOpen] = useState(false);
  const [templates, setTemplates] = useState<MessageTemplate[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || templates) return;
    let live = true;
    api
      .templates(channelKey)
      .then((list) => {
        if (live) {
          setTemplates(
            list.items.filter(
              (template) => template.status === 'APPROVED' && !unsupportedTemplatePart(template.components),
            ),
          );
        }
      })
      .catch((failure: unknown) => {
        if (live) {
          setTemplates([]);
          setError(errorText(failure, i18n));
        }
      });
    return () => {
      live = false;
    };
  }, [open, templates, channelKey, i18n]);

  const template =
    templates?.find((candidate) => `${candidate.name}|${candidate.language}` === chosen) ?? null;
  const fields = useMemo(() => (template ? slots(template.variables) : []), [template]);
  const parameters = useMemo(
    () => ({
      header: template?.variables.header.map((name) => values[`header.${name}`]?.trim() ?? '') ?? [],
      body: template?.variables.body.map((name) => values[`body.${name}`]?.trim() ?? '') ?? [],
    }),
    [template, values],
  );
  const preview = template ? renderTemplate(template.components, parameters) : '';
  const missing = fields.some((field) => !values[`${field.part}.${field.name}`]?.trim());
  const offers = [
    ...(fill.customerName
      ? [{ key: 'customer', label: t.templateFillCustomer, value: fill.customerName }]
      : []),
    { key: 'ticket', label: t.templateFillTicket, value: String(fill.ticketNumber) },
    { key: 'agent', label: t.templateFillAgent, value: fill.agentName },
  ];

  async function send() {
    if (!template || missing) {
      setError(t.templateFillAll);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.replyWithTemplate(ticketId, {
        name: template.name,
        language: template.language,
        parameters: {
          ...(parameters.header.length ? { header: parameters.header } : {}),
          body: parameters.body,
        },
      });
      setOpen(false);
      setChosen('');
      setValues({});
      onSent();
    } catch (failure) {
      setError(errorText(failure, i18n));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="secondary" data-action="open-templates" onClick={() => setOpen(true)}>
        {t.templateSend}
      </button>
    );
  }
  return (
    <section className="template-picker" aria-labelledby={`${id}-title`} data-testid="template-picker">
      <h3 id={`${id}-title`}>{t.templateSend}</h3>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {templates === null ? (
        <p className="muted">{t.loading}</p>
      ) : templates.length === 0 ? (
        <p className="muted">{t.templateNone}</p>
      ) : (
        <label className="field">
          <span>{t.templateChoose}</span>
          <select
            name="template"
            value={chosen}
            onChange={(event) => {
              setChosen(event.target.value);
              setValues({});
            }}
          >
            <option value="">—</option>
            {templates.map((candidate) => (
              <option key={candidate.id} value={`${candidate.name}|${candidate.language}`}>
                {candidate.name} ({candidate.language})
              </option>
            ))}
          </select>
        </label>
      )}
      {fields.map((field) => {
        const key = `${field.part}.${field.name}`;
        return (
          <div className="field template-variable" key={key}>
            <label htmlFor={`${id}-${key}`}>
              {field.part === 'header' ? t.templateHeaderVariable : t.templateBodyVariable}{' '}
              <bdi dir="ltr">{`{{${field.name}}}`}</bdi>
            </label>
            <input
              id={`${id}-${key}`}
              name={key}
              dir="auto"
              value={values[key] ?? ''}
              onChange={(event) => setValues((current) => ({ ...current, [key]: event.target.value }))}
            />
            <span className="template-offers">
              {offers.map((offer) => (
                <button
                  key={offer.key}
                  type="button"
                  className="link"
                  data-offer={offer.key}
                  onClick={() => setValues((current) => ({ ...current, [key]: offer.value }))}
                >
                  {offer.label}
                </button>
              ))}
            </span>
          </div>
        );
      })}
      {template && (
        <figure className="template-preview">
          <figcaption>{t.templatePreview}</figcaption>
          <p dir="auto" data-testid="template-preview" lang={template.language.split('_')[0]}>
            {preview}
          </p>
        </figure>
      )}
      <div className="template-actions">
        <button type="button" onClick={() => setOpen(false)} disabled={busy}>
          {t.cancel}
        </button>
        <button
          type="button"
          className="primary"
          data-action="send-template"
          disabled={busy || !template}
          onClick={() => void send()}
        >
          {busy ? t.templateSending : t.templateSendNow}
        </button>
      </div>
      <small className="muted" lang={language}>
        {t.templateHint}
      </small>
    </section>
  );
}
