/**
 * Admin page: auto-replies. Lists the keyword rules in the order the bot tries them, adds one
 * (keywords separated by commas — Latin or Arabic "،" — or new lines; the reply in Arabic and
 * English; one WhatsApp number or every number; enabled), edits each in place, moves it up or down
 * (swapping positions) and deletes it after a confirmation. The API names a wrong field (400).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { AutoReplyRule } from '@whatsapp-helpdesk/contract/api';
import { api, type SessionAgent } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import './auto-replies.css';

/** The form's fields as typed. */
interface Draft {
  keywords: string;
  ar: string;
  en: string;
  channelKey: string;
  enabled: boolean;
}

const EMPTY: Draft = { keywords: '', ar: '', en: '', channelKey: '', enabled: true };

/** Keywords as typed: separated by commas (, or ،) or new lines, blanks dropped. */
export function splitKeywords(text: string): string[] {
  return text
    .split(/[,،\n]/)
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '');
}

function draftOf(rule: AutoReplyRule): Draft {
  return {
    keywords: rule.keywords.join('، '),
    ar: rule.reply.ar,
    en: rule.reply.en,
    channelKey: rule.channelKey ?? '',
    enabled: rule.enabled,
  };
}

type RuleBody = {
  keywords: string[];
  reply: { ar: string; en: string };
  channelKey: string | null;
  enabled: boolean;
};

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function AutoReplies({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [rules, setRules] = useState<AutoReplyRule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const describe = (caught: unknown) => errorText(caught, i18n);

  async function reload() {
    try {
      setRules((await api.autoReplies()).items);
    } catch (caught) {
      setError(describe(caught));
      setRules([]);
    }
  }

  useEffect(() => {
    void reload();
    // Loaded once when the page opens.
  }, []);

  /** Swaps the positions of two neighbouring rules (distinct positions keep the order exact). */
  async function move(index: number, by: -1 | 1) {
    const list = rules ?? [];
    const a = list[index];
    const b = list[index + by];
    if (!a || !b) return;
    setError(null);
    try {
      const positionA = a.position === b.position ? index : a.position;
      const positionB = a.position === b.position ? index + by : b.position;
      await api.updateAutoReply(a.id, { position: positionB });
      await api.updateAutoReply(b.id, { position: positionA });
    } catch (caught) {
      setError(describe(caught));
    }
    await reload();
  }

  return (
    <div className="auto-replies-page" data-testid="auto-replies-page">
      <p className="muted">{t.autoRepliesHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <RuleForm
        initial={EMPTY}
        submitLabel={t.autoReplyAdd}
        describe={describe}
        onError={setError}
        onSubmit={async (body) => {
          await api.createAutoReply(body);
          await reload();
        }}
        resetAfter
      />
      {rules === null ? (
        <p className="muted">{t.loading}</p>
      ) : rules.length === 0 ? (
        <p className="muted">{t.autoReplyEmpty}</p>
      ) : (
        <ol className="auto-reply-list">
          {rules.map((rule, index) => (
            <RuleRow
              key={`${rule.id}-${rule.updatedAt}`}
              rule={rule}
              first={index === 0}
              last={index === rules.length - 1}
              onMove={(by) => move(index, by)}
              describe={describe}
              onChanged={reload}
              onError={setError}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

/** One rule: its fields editable in place (Save), moved up or down, deleted after a confirmation. */
function RuleRow({
  rule,
  first,
  last,
  onMove,
  describe,
  onChanged,
  onError,
}: {
  rule: AutoReplyRule;
  first: boolean;
  last: boolean;
  onMove: (by: -1 | 1) => Promise<void>;
  describe: (caught: unknown) => string;
  onChanged: () => Promise<void>;
  onError: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="auto-reply-row" data-rule={rule.id}>
      <RuleForm
        initial={draftOf(rule)}
        submitLabel={t.save}
        describe={describe}
        onError={onError}
        onSubmit={async (body) => {
          await api.updateAutoReply(rule.id, body);
          await onChanged();
        }}
      />
      <span className="auto-reply-actions">
        <button type="button" disabled={first} onClick={() => void onMove(-1)} aria-label={t.autoReplyMoveUp}>
          ↑
        </button>
        <button type="button" disabled={last} onClick={() => void onMove(1)} aria-label={t.autoReplyMoveDown}>
          ↓
        </button>
        {confirming ? (
          <>
            {t.autoReplyConfirmDelete}{' '}
            <button
              type="button"
              className="danger"
              onClick={async () => {
                try {
                  await api.deleteAutoReply(rule.id);
                  await onChanged();
                } catch (caught) {
                  onError(describe(caught));
                }
              }}
            >
              {t.autoReplyDelete}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            {t.autoReplyDelete}
          </button>
        )}
      </span>
    </li>
  );
}

/** The fields of a rule, checked here (a keyword, both replies) before the API checks them again. */
function RuleForm({
  initial,
  submitLabel,
  describe,
  onError,
  onSubmit,
  resetAfter = false,
}: {
  initial: Draft;
  submitLabel: string;
  describe: (caught: unknown) => string;
  onError: (message: string | null) => void;
  onSubmit: (body: RuleBody) => Promise<void>;
  resetAfter?: boolean;
}) {
  const { t } = useI18n();
  const { list: channels } = useChannels();
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const keywords = splitKeywords(draft.keywords);
    if (keywords.length === 0 || !draft.ar.trim() || !draft.en.trim()) return onError(t.autoReplyMissing);
    setBusy(true);
    onError(null);
    try {
      await onSubmit({
        keywords,
        reply: { ar: draft.ar.trim(), en: draft.en.trim() },
        channelKey: draft.channelKey || null,
        enabled: draft.enabled,
      });
      if (resetAfter) setDraft(initial);
    } catch (caught) {
      onError(describe(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auto-reply-form" onSubmit={submit}>
      <label>
        {t.autoReplyKeywords}
        <input dir="auto" value={draft.keywords} onChange={(event) => set('keywords', event.target.value)} />
      </label>
      <label>
        {t.autoReplyArabic}
        <textarea
          dir="rtl"
          lang="ar"
          rows={2}
          value={draft.ar}
          onChange={(event) => set('ar', event.target.value)}
        />
      </label>
      <label>
        {t.autoReplyEnglish}
        <textarea
          dir="ltr"
          lang="en"
          rows={2}
          value={draft.en}
          onChange={(event) => set('en', event.target.value)}
        />
      </label>
      <label>
        {t.autoReplyChannel}
        <select value={draft.channelKey} onChange={(event) => set('channelKey', event.target.value)}>
          <option value="">{t.autoReplyEveryChannel}</option>
          {(channels ?? []).map((channel) => (
            <option key={channel.id} value={channel.key}>
              {channel.name}
            </option>
          ))}
        </select>
      </label>
      <label className="auto-reply-check">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => set('enabled', event.target.checked)}
        />
        {t.autoReplyEnabled}
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
