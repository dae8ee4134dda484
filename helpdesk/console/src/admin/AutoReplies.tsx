/**
 * Admin page: auto-replies. Lists the keyword rules in the order the bot tries them, adds one
 * (keywords separated by commas — Latin or Arabic "،" — or new lines; the reply in Arabic and
 * English; one WhatsApp number or every number; enabled), edits each in place, moves it up or down
 * (swapping positions) and deletes it after a confirmation. The API names a wrong field (400).
 */
import { useState } from 'react';
import type { AutoReplyRule, AutoReplyRuleCreateBody } from '@whatsapp-helpdesk/contract/api';
import { api, type SessionAgent } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { AdminNotices } from './parts/AdminNotices';
import { ChannelSelect } from './parts/ChannelSelect';
import { ConfirmDelete } from './parts/ConfirmDelete';
import { LoadedList } from './parts/LoadedList';
import { useAdminList } from './parts/useAdminList';
import { useBusyAction } from './parts/useBusyAction';
import { useDraftForm } from './parts/useDraftForm';
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

/** What the form sends: every field of a rule but its position. */
type RuleBody = Required<Omit<AutoReplyRuleCreateBody, 'position'>>;

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function AutoReplies({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [error, setError] = useState<string | null>(null);
  const describe = (caught: unknown) => errorText(caught, i18n);

  const { items: rules, reload } = useAdminList(
    async () => (await api.autoReplies()).items,
    (caught) => setError(describe(caught)),
  );

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
      <AdminNotices hint={t.autoRepliesHint} agent={agent} error={error} />
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
      <LoadedList items={rules} empty={t.autoReplyEmpty}>
        {(list) => (
          <ol className="auto-reply-list">
            {list.map((rule, index) => (
              <RuleRow
                key={`${rule.id}-${rule.updatedAt}`}
                rule={rule}
                first={index === 0}
                last={index === list.length - 1}
                onMove={(by) => move(index, by)}
                describe={describe}
                onChanged={reload}
                onError={setError}
              />
            ))}
          </ol>
        )}
      </LoadedList>
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
  const { busy, run } = useBusyAction(onChanged, (caught) => onError(describe(caught)));
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
        <ConfirmDelete
          label={t.autoReplyDelete}
          question={t.autoReplyConfirmDelete}
          busy={busy}
          className="auto-reply-confirm"
          onConfirm={() => run(() => api.deleteAutoReply(rule.id))}
        />
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
  const { draft, set, busy, submit } = useDraftForm({
    initial,
    read: (typed): { body: RuleBody } | { problem: string } => {
      const keywords = splitKeywords(typed.keywords);
      if (keywords.length === 0 || !typed.ar.trim() || !typed.en.trim())
        return { problem: t.autoReplyMissing };
      const reply = { ar: typed.ar.trim(), en: typed.en.trim() };
      return { body: { keywords, reply, channelKey: typed.channelKey || null, enabled: typed.enabled } };
    },
    onSubmit,
    describe,
    onError,
    resetAfter,
  });

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
        <ChannelSelect
          value={draft.channelKey}
          noneLabel={t.autoReplyEveryChannel}
          onChange={(key) => set('channelKey', key)}
        />
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
