/**
 * Canned responses' management page: every agent lists, adds, edits and deletes their personal
 * ones; admins also the shared ones (others see shared ones read-only). A preview shows the text
 * with its variables filled with sample values.
 */
import type { CannedResponse, CannedResponseScope } from '@whatsapp-helpdesk/contract/api';
import { renderCannedResponse } from '@whatsapp-helpdesk/contract/canned-variables';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type SessionAgent } from '../api';
import { useI18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import { shortcutDirection } from '../thread/canned/slash';
import { announceCannedResponsesChanged } from '../thread/canned/useCannedResponses';
import './canned-responses.css';

interface Draft {
  id: string | null;
  scope: CannedResponseScope;
  shortcut: string;
  title: string;
  body: string;
  language: '' | 'ar' | 'en';
}

const EMPTY: Draft = { id: null, scope: 'personal', shortcut: '', title: '', body: '', language: '' };

/** The form's fields by their API name, with the words that label them. */
const FIELD_LABEL = {
  shortcut: 'cannedShortcut',
  title: 'cannedName',
  body: 'cannedBody',
  language: 'cannedLanguage',
  scope: 'cannedScope',
} as const satisfies Record<string, keyof Words>;
type Field = keyof typeof FIELD_LABEL;

/** The form fields an API error names: validation details, or the shortcut of a 409. */
function failedFields(error: unknown): Field[] {
  if (!(error instanceof ApiError)) return [];
  if (error.code === 'conflict') return ['shortcut'];
  const fields = (error.details as { fields?: Array<{ field?: unknown }> } | undefined)?.fields ?? [];
  return fields.map((entry) => String(entry.field)).filter((field): field is Field => field in FIELD_LABEL);
}

/** @param agent the signed-in agent (admins may manage shared responses). */
export function CannedResponses({ agent }: { agent: SessionAgent }) {
  const { t, language } = useI18n();
  const isAdmin = agent.role === 'admin';
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const i18n = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Field[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await api.cannedResponses()).items);
    } catch (caught) {
      setError(errorText(caught, i18n));
    }
  }, [i18n]);
  useEffect(() => {
    void load();
  }, [load]);

  const canChange = (item: CannedResponse) => (item.scope === 'shared' ? isAdmin : item.ownerId === agent.id);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setInvalid([]);
    setNotice(null);
    const fields = {
      shortcut: draft.shortcut,
      title: draft.title,
      body: draft.body,
      language: draft.language === '' ? null : draft.language,
    };
    try {
      if (draft.id) await api.updateCannedResponse(draft.id, fields);
      else await api.createCannedResponse({ ...fields, scope: draft.scope });
      setDraft(EMPTY);
      setNotice(t.cannedSaved);
      announceCannedResponsesChanged();
      await load();
    } catch (caught) {
      const named = failedFields(caught);
      setInvalid(named);
      const words =
        caught instanceof ApiError && caught.code === 'conflict'
          ? t.cannedShortcutTaken
          : errorText(caught, i18n);
      // The API's English sentence names the field; in Arabic the field's label does.
      setError(
        named.length > 0 && language === 'ar'
          ? `${words}: ${named.map((field) => t[FIELD_LABEL[field]]).join('، ')}`
          : words,
      );
    } finally {
      setBusy(false);
    }
  }

  async function remove(item: CannedResponse) {
    if (!window.confirm(`${t.cannedDeleteConfirm} /${item.shortcut}`)) return;
    setError(null);
    try {
      await api.deleteCannedResponse(item.id);
      if (draft.id === item.id) setDraft(EMPTY);
      announceCannedResponsesChanged();
      await load();
    } catch (caught) {
      setError(errorText(caught, i18n));
    }
  }

  const preview = renderCannedResponse(draft.body, {
    customer: { name: language === 'ar' ? 'سلمى' : 'Salma' },
    agent: { name: agent.name },
    ticket: { number: 1024 },
  });

  return (
    // The shell's admin page gives the heading.
    <section className="canned-admin" aria-label={t.cannedTitle}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      <form className="canned-form" onSubmit={(event) => void save(event)}>
        <h3>{draft.id ? t.cannedEdit : t.cannedAdd}</h3>
        <label>
          {t.cannedShortcut}
          <span className="canned-shortcut-input" dir="ltr">
            <span aria-hidden="true">/</span>
            <input
              name="shortcut"
              aria-invalid={invalid.includes('shortcut') || undefined}
              required
              maxLength={33}
              dir="auto"
              value={draft.shortcut}
              onChange={(event) => setDraft({ ...draft, shortcut: event.target.value })}
            />
          </span>
          <small className="muted">{t.cannedShortcutRule}</small>
        </label>
        <label>
          {t.cannedName}
          <input
            name="title"
            aria-invalid={invalid.includes('title') || undefined}
            required
            maxLength={100}
            dir="auto"
            value={draft.title}
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
          />
        </label>
        <label className="wide">
          {t.cannedBody}
          <textarea
            name="body"
            aria-invalid={invalid.includes('body') || undefined}
            required
            rows={4}
            maxLength={4096}
            dir="auto"
            value={draft.body}
            onChange={(event) => setDraft({ ...draft, body: event.target.value })}
          />
          <small className="muted" dir="auto">
            {t.cannedVariablesHelp}
          </small>
        </label>
        <label>
          {t.cannedLanguage}
          <select
            name="language"
            value={draft.language}
            onChange={(event) => setDraft({ ...draft, language: event.target.value as Draft['language'] })}
          >
            <option value="">{t.cannedAnyLanguage}</option>
            <option value="ar">{t.cannedArabic}</option>
            <option value="en">{t.cannedEnglish}</option>
          </select>
        </label>
        {isAdmin && !draft.id && (
          <label>
            {t.cannedScope}
            <select
              name="scope"
              value={draft.scope}
              onChange={(event) => setDraft({ ...draft, scope: event.target.value as CannedResponseScope })}
            >
              <option value="personal">{t.cannedPersonal}</option>
              <option value="shared">{t.cannedShared}</option>
            </select>
          </label>
        )}
        {draft.body.trim() && (
          <div className="wide canned-preview">
            <span className="muted">{t.cannedPreview}</span>
            <p dir="auto">{preview}</p>
          </div>
        )}
        <div className="wide canned-form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t.save}
          </button>
          {draft.id && (
            <button type="button" onClick={() => setDraft(EMPTY)}>
              {t.cancel}
            </button>
          )}
        </div>
      </form>
      {items.length === 0 ? (
        <p className="muted">{t.cannedEmpty}</p>
      ) : (
        <table className="canned-table">
          <thead>
            <tr>
              <th>{t.cannedShortcut}</th>
              <th>{t.cannedName}</th>
              <th>{t.cannedBody}</th>
              <th>{t.cannedScope}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-shortcut={item.shortcut} data-scope={item.scope}>
                <td className="canned-shortcut">
                  <bdi dir={shortcutDirection(item.shortcut)}>/{item.shortcut}</bdi>
                </td>
                <td dir="auto">{item.title}</td>
                <td dir="auto" className="canned-body-cell">
                  {item.body}
                </td>
                <td>
                  {item.scope === 'shared' ? t.cannedShared : t.cannedPersonal}
                  {item.language && <> · {item.language === 'ar' ? t.cannedArabic : t.cannedEnglish}</>}
                </td>
                <td className="canned-row-actions">
                  {canChange(item) && (
                    <>
                      <button
                        type="button"
                        onClick={() =>
                          setDraft({
                            id: item.id,
                            scope: item.scope,
                            shortcut: item.shortcut,
                            title: item.title,
                            body: item.body,
                            language: item.language ?? '',
                          })
                        }
                      >
                        {t.cannedEdit}
                      </button>
                      <button type="button" onClick={() => void remove(item)}>
                        {t.cannedDelete}
                      </button>
                    </>
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
