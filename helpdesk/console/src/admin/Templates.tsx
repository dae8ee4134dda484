/**
 * Admin page "Message templates" (issue 17): every Cloud API channel with its templates as last
 * synced from Meta (name, language, category, approval status, variables) and a Sync button
 * (`POST /api/channels/:id/templates/sync`). Templates are created and approved in Meta's WhatsApp
 * Manager; the helpdesk also syncs them every six hours.
 */
import type { MessageTemplate } from '@whatsapp-helpdesk/contract/api';
import { useCallback, useEffect, useState } from 'react';
import { api, type SessionAgent } from '../api';
import { useI18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import './templates.css';

/** Meta's status or category in the page's language (Meta's word when the console has none). */
function metaWord(t: Words, kind: 'templateStatus' | 'templateCategory', value: string): string {
  const key = `${kind}_${value}` as keyof Words;
  return key in t ? String(t[key]) : value;
}

export function Templates({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const channels = useChannels();
  const cloud = (channels.list ?? []).filter((channel) => channel.provider === 'cloud');
  const [templates, setTemplates] = useState<MessageTemplate[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setTemplates((await api.templates()).items);
    } catch (failure) {
      setError(errorText(failure, i18n));
    }
  }, [i18n]);
  useEffect(() => {
    void load();
  }, [load]);

  async function sync(channelId: string) {
    setBusy(channelId);
    setError(null);
    setNotice(null);
    try {
      const result = await api.syncTemplates(channelId);
      setNotice(
        t.templatesSynced.replace(
          '{count}',
          result.templates.toLocaleString(language === 'ar' ? 'ar-EG' : 'en-GB'),
        ),
      );
      await load();
    } catch (failure) {
      setError(errorText(failure, i18n));
    } finally {
      setBusy(null);
    }
  }

  const date = (iso: string) =>
    new Date(iso).toLocaleString(language === 'ar' ? 'ar-EG' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });

  return (
    <div className="templates-page" data-testid="templates-page">
      <p className="muted">{t.templateHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      {channels.list !== null && cloud.length === 0 && <p className="muted">{t.templatesNoCloud}</p>}
      {cloud.map((channel) => {
        const own = (templates ?? []).filter((template) => template.channelKey === channel.key);
        return (
          <section key={channel.id} className="templates-channel" data-channel-key={channel.key}>
            <header>
              <h3>
                <bdi>{channel.name}</bdi>
              </h3>
              <button
                type="button"
                className="primary"
                data-action="sync-templates"
                disabled={busy !== null}
                onClick={() => void sync(channel.id)}
              >
                {busy === channel.id ? t.templatesSyncing : t.templatesSync}
              </button>
            </header>
            {templates === null ? (
              <p className="muted">{t.loading}</p>
            ) : own.length === 0 ? (
              <p className="muted">{t.templatesEmpty}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.templatesName}</th>
                    <th scope="col">{t.templatesLanguage}</th>
                    <th scope="col">{t.templatesCategory}</th>
                    <th scope="col">{t.templatesStatus}</th>
                    <th scope="col">{t.templatesVariables}</th>
                    <th scope="col">{t.templatesLastSync}</th>
                  </tr>
                </thead>
                <tbody>
                  {own.map((template) => (
                    <tr key={template.id} data-template={`${template.name}|${template.language}`}>
                      <td>
                        <bdi dir="ltr">{template.name}</bdi>
                      </td>
                      <td>
                        <bdi dir="ltr">{template.language}</bdi>
                      </td>
                      <td>{metaWord(t, 'templateCategory', template.category)}</td>
                      <td>
                        <span className={`template-status status-${template.status.toLowerCase()}`}>
                          {metaWord(t, 'templateStatus', template.status)}
                        </span>
                      </td>
                      <td>
                        {(template.variables.header.length + template.variables.body.length).toLocaleString(
                          language === 'ar' ? 'ar-EG' : 'en-GB',
                        )}
                      </td>
                      <td>{date(template.syncedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </div>
  );
}
