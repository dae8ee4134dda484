/**
 * Admin page "Broadcasts" (issue 17): create a broadcast (number, text, a segment — customers whose
 * tickets have a label, customers who wrote within N days, or a CSV of phone numbers — and the pace),
 * then start, pause, resume or cancel it, with its progress and the per-recipient result. A
 * WPPConnect number shows the warning that unsolicited bulk messages get a linked number banned.
 * On a Cloud API number an APPROVED template may be chosen instead of the text (with its variables).
 * The selected broadcast is reloaded every 2 s while it is sending.
 */
import type { Broadcast, BroadcastRecipient, Label, MessageTemplate } from '@whatsapp-helpdesk/contract/api';
import { WPPCONNECT_BROADCAST_WARNING } from '@whatsapp-helpdesk/contract/api';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type SessionAgent } from '../api';
import { useI18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import { useCoalesced } from '../shell/useCoalesced';
import { useChannels } from '../useChannels';
import { useStreamEvents } from '../useEventStream';
import { BroadcastReason } from './BroadcastReason';
import './broadcasts.css';

/** How long after a recipient's first status change the recipients are read again, ms. */
const STATUS_RELOAD_MS = 300;

type SegmentKind = 'labels' | 'wrote' | 'phones';

/** A status in the page's language (the API's word when the console has none). */
function word(t: Words, prefix: string, value: string): string {
  const key = `${prefix}_${value}` as keyof Words;
  return key in t ? String(t[key]) : value;
}

export function Broadcasts({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const channels = useChannels().list ?? [];
  const [broadcasts, setBroadcasts] = useState<Broadcast[] | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [recipients, setRecipients] = useState<BroadcastRecipient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [invalidLines, setInvalidLines] = useState<Array<{ line: number; text: string }>>([]);
  const [form, setForm] = useState({
    name: '',
    channel: '',
    text: '',
    kind: 'wrote' as SegmentKind,
    labelId: '',
    days: '30',
    phones: '',
    rate: '',
    dailyCap: '',
  });
  const number = (value: number) => value.toLocaleString(language === 'ar' ? 'ar-EG' : 'en-GB');
  const channel = channels.find((item) => item.key === (form.channel || channels[0]?.key));
  const [templates, setTemplates] = useState<MessageTemplate[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [variables, setVariables] = useState<{ header: string[]; body: string[] }>({ header: [], body: [] });
  const cloudKey = channel?.provider === 'cloud' ? channel.key : null;
  useEffect(() => {
    setTemplateId('');
    if (!cloudKey) return setTemplates([]);
    void api.templates(cloudKey).then(
      (list) => setTemplates(list.items.filter((item) => item.status === 'APPROVED')),
      () => setTemplates([]),
    );
  }, [cloudKey]);
  const template = templates.find((item) => item.id === templateId) ?? null;

  const load = useCallback(async () => {
    try {
      setBroadcasts((await api.broadcasts()).items);
      if (selected) setRecipients((await api.broadcastRecipients(selected)).items);
    } catch (failure) {
      setError(errorText(failure, i18n));
    }
  }, [i18n, selected]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void api.labels().then(
      (list) => setLabels(list.items),
      () => {},
    );
  }, []);
  // WhatsApp's refusal of a recipient's message comes from the outbound job's last attempt, maybe
  // after the broadcast shows done: the recipients shown follow their messages' status changes.
  // A burst of statuses (a broadcast's hundreds of recipients) is one read.
  const reload = useCoalesced(() => void load(), STATUS_RELOAD_MS);
  useStreamEvents((event) => {
    if (event.type !== 'message.status' || !recipients) return;
    if (
      recipients.some((recipient) => recipient.messageId !== null && recipient.messageId === event.messageId)
    )
      reload();
  });
  const running = (broadcasts ?? []).some((item) => item.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [running, load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const segment =
      form.kind === 'labels'
        ? { labelIds: [form.labelId] }
        : form.kind === 'wrote'
          ? { wroteWithinDays: form.days }
          : { phones: form.phones };
    try {
      const created = await api.createBroadcast({
        name: form.name,
        channel: form.channel || channels[0]?.key || '',
        ...(template
          ? {
              template: {
                name: template.name,
                language: template.language,
                parameters: {
                  ...(template.variables.header.length > 0 ? { header: variables.header } : {}),
                  body: variables.body,
                },
              },
            }
          : { text: form.text }),
        segment: segment as never,
        ...(form.rate ? { ratePerMinute: form.rate as never } : {}),
        ...(form.dailyCap ? { dailyCap: form.dailyCap as never } : {}),
      });
      setInvalidLines(created.invalidLines);
      setNotice(t.broadcastsCreated.replace('{count}', number(created.recipientCount)));
      setSelected(created.id);
      await load();
    } catch (failure) {
      setError(errorText(failure, i18n));
    }
  }

  async function act(id: string, action: 'start' | 'pause' | 'resume' | 'cancel') {
    setError(null);
    try {
      await api.broadcastAction(id, action);
      await load();
    } catch (failure) {
      setError(errorText(failure, i18n));
    }
  }

  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value }),
  });

  return (
    <div className="broadcasts-page" data-testid="broadcasts-page">
      <p className="muted">{t.broadcastsHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <form className="broadcasts-form" onSubmit={(event) => void create(event)}>
        <h3>{t.broadcastsNew}</h3>
        <label>
          {t.broadcastsName}
          <input required {...field('name')} />
        </label>
        <label>
          {t.broadcastsChannel}
          <select {...field('channel')}>
            {channels.map((item) => (
              <option key={item.key} value={item.key}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        {channel && channel.provider !== 'cloud' && (
          <p className="warning" role="note" data-testid="wppconnect-warning">
            {t.broadcastsWppconnectWarning}
          </p>
        )}
        {templates.length > 0 && (
          <label>
            {t.broadcastsTemplate}
            <select
              value={templateId}
              onChange={(event) => {
                const chosen = templates.find((item) => item.id === event.target.value);
                setTemplateId(event.target.value);
                setVariables({
                  header: (chosen?.variables.header ?? []).map(() => ''),
                  body: (chosen?.variables.body ?? []).map(() => ''),
                });
              }}
            >
              <option value="">{t.broadcastsTemplateNone}</option>
              {templates.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name} ({item.language})
                </option>
              ))}
            </select>
          </label>
        )}
        {template ? (
          (['header', 'body'] as const).map((part) =>
            template.variables[part].map((name, index) => (
              <label key={`${part}-${name}`}>
                <bdi dir="ltr">{`{{${name}}}`}</bdi>
                <input
                  required
                  value={variables[part][index] ?? ''}
                  onChange={(event) => {
                    const next = [...variables[part]];
                    next[index] = event.target.value;
                    setVariables({ ...variables, [part]: next });
                  }}
                />
              </label>
            )),
          )
        ) : (
          <label>
            {t.broadcastsText}
            <textarea required rows={3} {...field('text')} />
          </label>
        )}
        <fieldset>
          <legend>{t.broadcastsSegment}</legend>
          {(['wrote', 'labels', 'phones'] as const).map((kind) => (
            <label key={kind} className="inline">
              <input
                type="radio"
                name="segment"
                checked={form.kind === kind}
                onChange={() => setForm({ ...form, kind })}
              />
              {kind === 'wrote'
                ? t.broadcastsSegmentWrote
                : kind === 'labels'
                  ? t.broadcastsSegmentLabels
                  : t.broadcastsSegmentPhones}
            </label>
          ))}
          {form.kind === 'wrote' && (
            <input inputMode="numeric" aria-label={t.broadcastsSegmentWrote} {...field('days')} />
          )}
          {form.kind === 'labels' && (
            <select aria-label={t.broadcastsSegmentLabels} {...field('labelId')}>
              <option value="" />
              {labels.map((label) => (
                <option key={label.id} value={label.id}>
                  {label.name}
                </option>
              ))}
            </select>
          )}
          {form.kind === 'phones' && (
            <textarea dir="ltr" rows={5} aria-label={t.broadcastsSegmentPhones} {...field('phones')} />
          )}
        </fieldset>
        <label>
          {t.broadcastsRate}
          <input inputMode="numeric" {...field('rate')} />
        </label>
        <label>
          {t.broadcastsDailyCap}
          <input inputMode="numeric" {...field('dailyCap')} />
        </label>
        <button type="submit" className="primary">
          {t.broadcastsCreate}
        </button>
        {invalidLines.length > 0 && (
          <div className="error" data-testid="invalid-lines">
            {t.broadcastsInvalidLines}:
            <ul>
              {invalidLines.map((line) => (
                <li key={line.line}>
                  {number(line.line)}: <bdi dir="ltr">{line.text}</bdi>
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>

      {broadcasts !== null && broadcasts.length === 0 && <p className="muted">{t.broadcastsEmpty}</p>}
      {broadcasts !== null && broadcasts.length > 0 && (
        <table className="broadcasts-list">
          <thead>
            <tr>
              <th scope="col">{t.broadcastsName}</th>
              <th scope="col">{t.broadcastsChannel}</th>
              <th scope="col">{t.broadcastsProgress}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {broadcasts.map((item) => (
              <tr key={item.id} data-broadcast={item.id} aria-selected={item.id === selected}>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(item.id)}>
                    <bdi>{item.name}</bdi>
                  </button>{' '}
                  <span className={`status status-${item.status}`}>
                    {word(t, 'broadcastStatus', item.status)}
                  </span>
                  {item.warning === WPPCONNECT_BROADCAST_WARNING && (
                    <span
                      className="warning-mark"
                      title={t.broadcastsWppconnectWarning}
                      aria-label={t.broadcastsWppconnectWarning}
                    >
                      ⚠
                    </span>
                  )}
                </td>
                <td>
                  <bdi dir="ltr">{item.channel}</bdi>
                </td>
                <td>
                  <progress
                    max={Math.max(1, item.progress.total - item.progress.skipped)}
                    value={item.progress.total - item.progress.skipped - item.progress.pending}
                  />{' '}
                  {(['sent', 'delivered', 'read', 'failed', 'skipped', 'pending'] as const)
                    .filter((status) => item.progress[status] > 0)
                    .map((status) => `${word(t, 'recipientStatus', status)} ${number(item.progress[status])}`)
                    .join(' · ')}
                </td>
                <td className="actions">
                  {item.status === 'draft' && (
                    <button type="button" onClick={() => void act(item.id, 'start')}>
                      {t.broadcastsStart}
                    </button>
                  )}
                  {item.status === 'running' && (
                    <button type="button" onClick={() => void act(item.id, 'pause')}>
                      {t.broadcastsPause}
                    </button>
                  )}
                  {item.status === 'paused' && (
                    <button type="button" onClick={() => void act(item.id, 'resume')}>
                      {t.broadcastsResume}
                    </button>
                  )}
                  {['draft', 'running', 'paused'].includes(item.status) && (
                    <button type="button" onClick={() => void act(item.id, 'cancel')}>
                      {t.broadcastsCancel}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {selected && recipients && (
        <section className="broadcast-recipients" data-testid="broadcast-recipients">
          <h3>{t.broadcastsRecipients}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.broadcastsPhone}</th>
                <th scope="col">{t.broadcastsCustomer}</th>
                <th scope="col">{t.broadcastsResult}</th>
                <th scope="col">{t.broadcastsReason}</th>
              </tr>
            </thead>
            <tbody>
              {recipients.map((recipient) => (
                <tr key={recipient.phone} data-status={recipient.status}>
                  <td>
                    <bdi dir="ltr">{recipient.phone}</bdi>
                  </td>
                  <td>
                    <bdi>{recipient.customerName ?? ''}</bdi>
                  </td>
                  <td>{word(t, 'recipientStatus', recipient.status)}</td>
                  <td>
                    <BroadcastReason t={t} recipient={recipient} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
