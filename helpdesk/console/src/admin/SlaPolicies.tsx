/**
 * Admin page: response-time targets (SLA policies). Lists them most specific first, adds one
 * (name; category, WhatsApp number and team, each "any" when left empty; first response in minutes;
 * resolution in hours; business hours only), edits and deletes them (deleting asks first). Numbers
 * may be typed in Arabic-Indic digits (the API reads them too). The API's 409 (name or match taken)
 * is shown as such.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, type SessionAgent, type TicketCategory } from '../api';
import type { SlaPolicy, SlaPolicyCreateBody } from '@whatsapp-helpdesk/contract/api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import { AdminNotices } from './parts/AdminNotices';
import { ChannelSelect } from './parts/ChannelSelect';
import { ConfirmDelete } from './parts/ConfirmDelete';
import { LoadedList } from './parts/LoadedList';
import { useAdminList } from './parts/useAdminList';
import { useBusyAction } from './parts/useBusyAction';
import { useDraftForm } from './parts/useDraftForm';
import './sla-policies.css';

/** The form's fields as typed (numbers as text, match fields '' for any). */
interface Draft {
  name: string;
  category: string;
  channelKey: string;
  teamId: string;
  firstResponseMinutes: string;
  resolutionHours: string;
  businessHours: boolean;
}

const EMPTY: Draft = {
  name: '',
  category: '',
  channelKey: '',
  teamId: '',
  firstResponseMinutes: '30',
  resolutionHours: '24',
  businessHours: true,
};

/** Arabic-Indic and Extended Arabic-Indic digits (and the Arabic decimal separator) as ASCII. */
export function westernNumber(text: string): number {
  const ascii = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0))
    .replace('٫', '.');
  return ascii === '' ? Number.NaN : Number(ascii);
}

/** What the form sends: every field of a policy, numbers read. */
type PolicyBody = Required<SlaPolicyCreateBody> & { firstResponseMinutes: number; resolutionHours: number };

function draftOf(policy: SlaPolicy): Draft {
  return {
    name: policy.name,
    category: policy.category ?? '',
    channelKey: policy.channelKey ?? '',
    teamId: policy.teamId ?? '',
    firstResponseMinutes: String(policy.firstResponseMinutes),
    resolutionHours: String(policy.resolutionHours),
    businessHours: policy.businessHours,
  };
}

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function SlaPolicies({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  const [error, setError] = useState<string | null>(null);

  function describe(caught: unknown): string {
    return caught instanceof ApiError && caught.status === 409 ? t.slaTaken : errorText(caught, i18n);
  }

  const { items: policies, reload } = useAdminList(
    async () => (await api.slaPolicies()).items,
    (caught) => setError(describe(caught)),
  );

  useEffect(() => {
    api
      .ticketCategories()
      .then((list) => setCategories(list.items))
      .catch(() => setCategories([]));
    // Loaded once when the page opens.
  }, []);

  return (
    <div className="sla-page" data-testid="sla-page">
      <AdminNotices hint={t.slaPageHint} agent={agent} error={error} />
      <PolicyForm
        initial={EMPTY}
        categories={categories}
        submitLabel={t.slaAdd}
        onError={setError}
        onSubmit={async (body) => {
          await api.createSlaPolicy(body);
          await reload();
        }}
        describe={describe}
        resetAfter
      />
      <LoadedList items={policies} empty={t.slaEmpty}>
        {(list) => (
          <ul className="sla-list">
            {list.map((policy) => (
              <PolicyRow
                key={`${policy.id}-${policy.updatedAt}`}
                policy={policy}
                categories={categories}
                describe={describe}
                onChanged={reload}
                onError={setError}
              />
            ))}
          </ul>
        )}
      </LoadedList>
    </div>
  );
}

/** One policy: its fields editable in place (Save), delete after a confirmation. */
function PolicyRow({
  policy,
  categories,
  describe,
  onChanged,
  onError,
}: {
  policy: SlaPolicy;
  categories: TicketCategory[];
  describe: (caught: unknown) => string;
  onChanged: () => Promise<void>;
  onError: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const { busy, run } = useBusyAction(onChanged, (caught) => onError(describe(caught)));
  return (
    <li className="sla-row" data-policy={policy.name}>
      <PolicyForm
        initial={draftOf(policy)}
        categories={categories}
        submitLabel={t.save}
        describe={describe}
        onError={onError}
        onSubmit={async (body) => {
          await api.updateSlaPolicy(policy.id, body);
          await onChanged();
        }}
      />
      <ConfirmDelete
        label={t.slaDelete}
        question={t.slaConfirmDelete}
        busy={busy}
        className="sla-confirm"
        onConfirm={() => run(() => api.deleteSlaPolicy(policy.id))}
      />
    </li>
  );
}

/** The fields of a policy, checked here (numbers above zero, a name) before the API checks them again. */
function PolicyForm({
  initial,
  categories,
  submitLabel,
  describe,
  onError,
  onSubmit,
  resetAfter = false,
}: {
  initial: Draft;
  categories: TicketCategory[];
  submitLabel: string;
  describe: (caught: unknown) => string;
  onError: (message: string | null) => void;
  onSubmit: (body: PolicyBody) => Promise<void>;
  resetAfter?: boolean;
}) {
  const { t, language } = useI18n();
  const { teams } = useChannels();
  const { draft, set, busy, submit } = useDraftForm({
    initial,
    read: (typed): { body: PolicyBody } | { problem: string } => {
      const minutes = westernNumber(typed.firstResponseMinutes);
      const hours = westernNumber(typed.resolutionHours);
      if (!typed.name.trim()) return { problem: t.slaNameRequired };
      if (!(minutes >= 1) || !Number.isInteger(minutes) || !(hours > 0)) return { problem: t.slaBadNumber };
      return {
        body: {
          name: typed.name.trim(),
          category: typed.category || null,
          channelKey: typed.channelKey || null,
          teamId: typed.teamId || null,
          firstResponseMinutes: minutes,
          resolutionHours: hours,
          businessHours: typed.businessHours,
        },
      };
    },
    onSubmit,
    describe,
    onError,
    resetAfter,
  });

  return (
    <form className="sla-form" onSubmit={submit}>
      <label>
        {t.slaName}
        <input
          dir="auto"
          maxLength={80}
          value={draft.name}
          onChange={(event) => set('name', event.target.value)}
        />
      </label>
      <label>
        {t.slaCategory}
        <select value={draft.category} onChange={(event) => set('category', event.target.value)}>
          <option value="">{t.slaAny}</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category[language]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.slaChannel}
        <ChannelSelect
          value={draft.channelKey}
          noneLabel={t.slaAny}
          onChange={(key) => set('channelKey', key)}
        />
      </label>
      <label>
        {t.slaTeam}
        <select value={draft.teamId} onChange={(event) => set('teamId', event.target.value)}>
          <option value="">{t.slaAny}</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.slaFirstResponseMinutes}
        <input
          inputMode="numeric"
          dir="ltr"
          value={draft.firstResponseMinutes}
          onChange={(event) => set('firstResponseMinutes', event.target.value)}
        />
      </label>
      <label>
        {t.slaResolutionHours}
        <input
          inputMode="decimal"
          dir="ltr"
          value={draft.resolutionHours}
          onChange={(event) => set('resolutionHours', event.target.value)}
        />
      </label>
      <label className="sla-check">
        <input
          type="checkbox"
          checked={draft.businessHours}
          onChange={(event) => set('businessHours', event.target.checked)}
        />
        {t.slaBusinessHours}
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
