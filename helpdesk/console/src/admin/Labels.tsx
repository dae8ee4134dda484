/**
 * Admin page: the labels agents put on tickets. Lists them (name and colour), adds, renames,
 * recolours and deletes them (deleting asks first: the label comes off every ticket). Names are
 * unique regardless of letter case; the API's 409 is shown as such.
 */
import { useEffect, useState } from 'react';
import type { LabelCreateBody } from '@whatsapp-helpdesk/contract/api';
import { api, ApiError, type Label, type SessionAgent } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { AdminNotices } from './parts/AdminNotices';
import { ConfirmDelete } from './parts/ConfirmDelete';
import { LoadedList } from './parts/LoadedList';
import { useAdminList } from './parts/useAdminList';
import { useBusyAction } from './parts/useBusyAction';
import { useDraftForm } from './parts/useDraftForm';
import './labels.css';

const DEFAULT_COLOR = '#0f7b6c';

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Labels({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  // The colour stays as chosen after an add (the next label is often of the same kind).
  const [color, setColor] = useState(DEFAULT_COLOR);
  const [error, setError] = useState<string | null>(null);

  function describe(caught: unknown): string {
    return caught instanceof ApiError && caught.status === 409
      ? t.labelsPageNameTaken
      : errorText(caught, i18n);
  }

  const { items: labels, reload } = useAdminList(
    async () => (await api.labels()).items,
    (caught) => setError(describe(caught)),
  );

  const adding = useDraftForm<{ name: string }, LabelCreateBody>({
    initial: { name: '' },
    read: ({ name }) =>
      name.trim() ? { body: { name: name.trim(), color } } : { problem: t.labelsPageNameRequired },
    onSubmit: async (body) => {
      await api.createLabel(body);
      await reload();
    },
    describe,
    onError: setError,
    resetAfter: true,
  });
  const name = adding.draft.name;

  return (
    <div className="labels-page" data-testid="labels-page">
      <AdminNotices hint={t.labelsPageHint} agent={agent} error={error} />
      <form className="label-row label-new" onSubmit={adding.submit}>
        <input
          name="label-name"
          dir="auto"
          maxLength={40}
          value={name}
          placeholder={t.labelsPageName}
          aria-label={t.labelsPageName}
          onChange={(event) => adding.set('name', event.target.value)}
        />
        <input
          type="color"
          name="label-color"
          value={color}
          aria-label={t.labelsPageColor}
          onChange={(event) => setColor(event.target.value)}
        />
        <span className="label-preview" style={{ borderColor: color }} aria-label={t.labelsPagePreview}>
          <span className="label-swatch" style={{ background: color }} aria-hidden="true" />
          <bdi>{name.trim() || t.labelsPageName}</bdi>
        </span>
        <button type="submit" className="primary" disabled={adding.busy}>
          {t.labelsPageAdd}
        </button>
      </form>
      <LoadedList items={labels} empty={t.labelsPageEmpty}>
        {(list) => (
          <ul className="labels-list">
            {list.map((label) => (
              <LabelRow
                key={label.id}
                label={label}
                onChanged={reload}
                onError={(caught) => setError(describe(caught))}
              />
            ))}
          </ul>
        )}
      </LoadedList>
    </div>
  );
}

/** One label: rename and recolour in place (Save when changed), delete after a confirmation. */
function LabelRow({
  label,
  onChanged,
  onError,
}: {
  label: Label;
  onChanged: () => Promise<void>;
  onError: (caught: unknown) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color);
  const { busy, run } = useBusyAction(onChanged, onError);
  useEffect(() => {
    setName(label.name);
    setColor(label.color);
  }, [label.name, label.color]);

  const changes = {
    ...(name.trim() !== label.name ? { name: name.trim() } : {}),
    ...(color.toLowerCase() !== label.color ? { color } : {}),
  };
  const dirty = Object.keys(changes).length > 0 && name.trim() !== '';

  return (
    <li className="label-row" data-label-id={label.id}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty) void run(() => api.updateLabel(label.id, changes));
        }}
      >
        <span className="label-swatch" style={{ background: color }} aria-hidden="true" />
        <input
          name="label-name"
          dir="auto"
          maxLength={40}
          value={name}
          aria-label={t.labelsPageName}
          onChange={(event) => setName(event.target.value)}
        />
        <input
          type="color"
          name="label-color"
          value={color}
          aria-label={t.labelsPageColor}
          onChange={(event) => setColor(event.target.value)}
        />
        <button type="submit" disabled={!dirty || busy}>
          {t.labelsPageSave}
        </button>
        <ConfirmDelete
          label={t.labelsPageDelete}
          question={t.labelsPageDeleteConfirm.replace('{name}', label.name)}
          busy={busy}
          className="label-confirm"
          action="delete-label"
          onConfirm={() => run(() => api.deleteLabel(label.id))}
        />
      </form>
    </li>
  );
}
