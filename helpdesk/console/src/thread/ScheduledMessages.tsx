/**
 * The customer's scheduled messages on the customer panel (issue 17): "Remind on…" a date, or in N
 * days, with a text, as a plain message or a medicine refill reminder (medicine, every how many
 * days, how many times), and the list of what is scheduled, sent, cancelled or failed, with edit
 * (text and time) and cancel while still scheduled. Numbers may be typed with Arabic-Indic digits.
 * Calls `POST /api/tickets/:id/scheduled-messages`, `GET /api/customers/:id/scheduled-messages`,
 * `PATCH` and `DELETE /api/scheduled-messages/:id`.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type {
  MessageTemplate,
  ScheduledMessage,
  ScheduledMessageCreateBody,
} from '@whatsapp-helpdesk/contract/api';
import { api } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { formatNumber } from './format';

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII. */
export function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0));
}

/** A whole number of days 1–max typed by a person (any digits), or null. */
export function parseDays(text: string, max = 365): number | null {
  const western = westernDigits(text.trim());
  if (!/^\d{1,3}$/.test(western)) return null;
  const value = Number(western);
  return value >= 1 && value <= max ? value : null;
}

/** A Date as the value of an `<input type="datetime-local">` (local time). */
function localInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * @param ticketId the open ticket (the message is sent from its channel).
 * @param customerId its customer.
 */
export function ScheduledMessages({
  ticketId,
  customerId,
  channelKey,
}: {
  ticketId: string;
  customerId: string;
  /** The ticket's channel: its approved Cloud API templates may be chosen instead of a text. */
  channelKey: string;
}) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [items, setItems] = useState<ScheduledMessage[] | null>(null);
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState<'date' | 'days'>('days');
  const [date, setDate] = useState('');
  const [days, setDays] = useState('');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'message' | 'refill'>('message');
  const [medicine, setMedicine] = useState('');
  const [interval, setIntervalDays] = useState('');
  const [repeat, setRepeat] = useState('1');
  const [templates, setTemplates] = useState<MessageTemplate[]>([]);
  const [templateKey, setTemplateKey] = useState('');
  const [templateValues, setTemplateValues] = useState<{ header: string[]; body: string[] }>({
    header: [],
    body: [],
  });
  const [editing, setEditing] = useState<{ id: string; text: string; date: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function load() {
    api.scheduledMessages(customerId).then(
      (found) => setItems(found.items ?? []),
      (caught: unknown) => setError(errorText(caught, i18n)),
    );
  }
  useEffect(() => {
    setItems(null);
    setError(null);
    setNotice(null);
    setEditing(null);
    load();
    // i18n only words the error.
  }, [customerId]);

  // The channel's approved templates (none on WPPConnect), offered instead of a text.
  useEffect(() => {
    if (!open) return;
    let current = true;
    api.templates(channelKey).then(
      (found) =>
        current &&
        setTemplates(
          (found.items ?? []).filter((item) => item.status === 'APPROVED' && item.channelKey === channelKey),
        ),
      () => current && setTemplates([]),
    );
    return () => {
      current = false;
    };
  }, [open, channelKey]);
  const template = templates.find((item) => `${item.name}|${item.language}` === templateKey) ?? null;

  async function run(action: () => Promise<void>, done: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      load();
      return true;
    } catch (caught) {
      setError(errorText(caught, i18n));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body: ScheduledMessageCreateBody = template
      ? {
          kind,
          template: {
            name: template.name,
            language: template.language,
            parameters: {
              ...(template.variables.header.length ? { header: templateValues.header } : {}),
              body: templateValues.body,
            },
          },
        }
      : { text, kind };
    if (!template && !text.trim()) return setError(t.remindNeedText);
    if (when === 'days') {
      const inDays = parseDays(days);
      if (inDays === null) return setError(t.remindBadNumber);
      body.inDays = inDays;
    } else {
      const at = new Date(date);
      if (!date || Number.isNaN(at.getTime()) || at.getTime() <= Date.now())
        return setError(t.remindNeedDate);
      body.sendAt = at.toISOString();
    }
    if (kind === 'refill') {
      if (!medicine.trim()) return setError(t.remindNeedMedicine);
      const every = parseDays(interval);
      const times = parseDays(repeat, 24);
      if (every === null || times === null) return setError(t.remindBadNumber);
      Object.assign(body, { medicine: medicine.trim(), intervalDays: every, repeat: times });
    }
    const saved = await run(async () => {
      await api.scheduleMessage(ticketId, body);
    }, t.remindScheduled);
    if (saved) {
      setText('');
      setDays('');
      setDate('');
      setMedicine('');
      setOpen(false);
    }
  }

  async function saveEdit(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    const at = new Date(editing.date);
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return setError(t.remindNeedDate);
    const saved = await run(async () => {
      await api.changeScheduledMessage(editing.id, {
        sendAt: at.toISOString(),
        ...(editing.text.trim() ? { text: editing.text } : {}),
      });
    }, t.remindScheduled);
    if (saved) setEditing(null);
  }

  const statusText = (item: ScheduledMessage) => {
    const status = t[`remindStatus_${item.status}` as const];
    if (item.reason === 'opted_out') return `${status} · ${t.remindReason_opted_out}`;
    return item.reason && item.status === 'failed' ? `${status} · ${item.reason}` : status;
  };

  return (
    <section
      className="cp-section cp-reminders"
      aria-labelledby="cp-reminders-title"
      data-testid="scheduled-messages"
    >
      <h4 id="cp-reminders-title">{t.remindTitle}</h4>
      {error && (
        <p className="cp-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="cp-notice" role="status">
          {notice}
        </p>
      )}
      {items === null ? (
        <p className="muted">{t.loading}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t.remindEmpty}</p>
      ) : (
        <ul className="cp-reminder-list">
          {items.map((item) => (
            <li key={item.id} className={`cp-reminder status-${item.status}`} data-scheduled-id={item.id}>
              {editing?.id === item.id ? (
                <form onSubmit={saveEdit} className="cp-reminder-edit">
                  <input
                    type="datetime-local"
                    name="reminder-edit-date"
                    aria-label={t.remindWhen}
                    value={editing.date}
                    onChange={(event) => setEditing({ ...editing, date: event.target.value })}
                  />
                  {item.text !== null && (
                    <textarea
                      name="reminder-edit-text"
                      dir="auto"
                      rows={2}
                      maxLength={4096}
                      aria-label={t.remindText}
                      value={editing.text}
                      onChange={(event) => setEditing({ ...editing, text: event.target.value })}
                    />
                  )}
                  <div className="cp-actions">
                    <button type="submit" className="primary" disabled={busy}>
                      {t.save}
                    </button>
                    <button type="button" onClick={() => setEditing(null)} disabled={busy}>
                      {t.cancel}
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <p>
                    <time dateTime={item.sendAt}>{i18n.formatTime(item.sendAt)}</time>{' '}
                    <span className={`badge reminder-${item.status}`}>{statusText(item)}</span>
                  </p>
                  {item.kind === 'refill' && (
                    <p className="small">
                      💊 <bdi>{item.medicine}</bdi>
                      {item.intervalDays !== null &&
                        ` · ${t.remindEvery.replace('{days}', formatNumber(language, item.intervalDays))}`}
                      {item.remaining !== null &&
                        item.status === 'scheduled' &&
                        ` · ${t.remindRemaining.replace('{count}', formatNumber(language, item.remaining))}`}
                    </p>
                  )}
                  {item.text !== null ? (
                    <p dir="auto" className="cp-reminder-text">
                      {item.text}
                    </p>
                  ) : (
                    item.template && (
                      <p className="muted small">{t.remindTemplate.replace('{name}', item.template.name)}</p>
                    )
                  )}
                  {item.status === 'scheduled' && (
                    <div className="cp-actions">
                      <button
                        type="button"
                        className="link"
                        data-action="edit-scheduled"
                        disabled={busy}
                        onClick={() =>
                          setEditing({
                            id: item.id,
                            text: item.text ?? '',
                            date: localInputValue(new Date(item.sendAt)),
                          })
                        }
                      >
                        {t.remindEdit}
                      </button>
                      <button
                        type="button"
                        className="link"
                        data-action="cancel-scheduled"
                        disabled={busy}
                        onClick={() =>
                          void run(async () => {
                            await api.cancelScheduledMessage(item.id);
                          }, t.remindCancelled)
                        }
                      >
                        {t.remindCancel}
                      </button>
                    </div>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      {!open ? (
        <button type="button" className="link" data-action="remind-on" onClick={() => setOpen(true)}>
          {t.remindOn}
        </button>
      ) : (
        <form className="cp-reminder-form" onSubmit={submit} aria-label={t.remindOn}>
          <fieldset>
            <legend>{t.remindWhen}</legend>
            <label>
              <input
                type="radio"
                name="reminder-when"
                value="days"
                checked={when === 'days'}
                onChange={() => setWhen('days')}
              />
              {t.remindInDays}
            </label>
            <label>
              <input
                type="radio"
                name="reminder-when"
                value="date"
                checked={when === 'date'}
                onChange={() => setWhen('date')}
              />
              {t.remindOnDate}
            </label>
            {when === 'days' ? (
              <input
                name="reminder-days"
                inputMode="numeric"
                dir="auto"
                aria-label={t.remindDays}
                placeholder={t.remindDays}
                value={days}
                onChange={(event) => setDays(event.target.value)}
              />
            ) : (
              <input
                type="datetime-local"
                name="reminder-date"
                aria-label={t.remindOnDate}
                value={date}
                onChange={(event) => setDate(event.target.value)}
              />
            )}
          </fieldset>
          <label>
            {t.remindKind}
            <select
              name="reminder-kind"
              value={kind}
              onChange={(event) => setKind(event.target.value as 'message' | 'refill')}
            >
              <option value="message">{t.remindKindMessage}</option>
              <option value="refill">{t.remindKindRefill}</option>
            </select>
          </label>
          {kind === 'refill' && (
            <>
              <label>
                {t.remindMedicine}
                <input
                  name="reminder-medicine"
                  dir="auto"
                  maxLength={200}
                  value={medicine}
                  onChange={(event) => setMedicine(event.target.value)}
                />
              </label>
              <label>
                {t.remindInterval}
                <input
                  name="reminder-interval"
                  inputMode="numeric"
                  dir="auto"
                  value={interval}
                  onChange={(event) => setIntervalDays(event.target.value)}
                />
              </label>
              <label>
                {t.remindRepeat}
                <input
                  name="reminder-repeat"
                  inputMode="numeric"
                  dir="auto"
                  value={repeat}
                  onChange={(event) => setRepeat(event.target.value)}
                />
              </label>
            </>
          )}
          {templates.length > 0 && (
            <label>
              {t.remindTemplateChoose}
              <select
                name="reminder-template"
                value={templateKey}
                onChange={(event) => {
                  setTemplateKey(event.target.value);
                  const chosen = templates.find(
                    (item) => `${item.name}|${item.language}` === event.target.value,
                  );
                  setTemplateValues({
                    header: (chosen?.variables.header ?? []).map(() => ''),
                    body: (chosen?.variables.body ?? []).map(() => ''),
                  });
                }}
              >
                <option value="">{t.remindTemplateNone}</option>
                {templates.map((item) => (
                  <option key={item.id} value={`${item.name}|${item.language}`}>
                    {item.name} ({item.language})
                  </option>
                ))}
              </select>
            </label>
          )}
          {template &&
            (['header', 'body'] as const).flatMap((part) =>
              template.variables[part].map((name, index) => (
                <label key={`${part}-${name}`}>
                  {`{{${name}}}`}
                  <input
                    name={`reminder-template-${part}-${index}`}
                    dir="auto"
                    value={templateValues[part][index] ?? ''}
                    onChange={(event) => {
                      const next = [...templateValues[part]];
                      next[index] = event.target.value;
                      setTemplateValues({ ...templateValues, [part]: next });
                    }}
                  />
                </label>
              )),
            )}
          {!template && (
            <label>
              {t.remindText}
              <textarea
                name="reminder-text"
                dir="auto"
                rows={3}
                maxLength={4096}
                value={text}
                onChange={(event) => setText(event.target.value)}
              />
            </label>
          )}
          <div className="cp-actions">
            <button type="submit" className="primary" data-action="schedule-message" disabled={busy}>
              {t.remindSchedule}
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              {t.cancel}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
