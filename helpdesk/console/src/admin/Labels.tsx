/**
 * Admin page: the labels agents put on tickets. Lists them (name and colour), adds, renames,
 * recolours and deletes them (deleting asks first: the label comes off every ticket). Names are
 * unique regardless of letter case; the API's 409 is shown as such.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Label, type SessionAgent } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import './labels.css';

const DEFAULT_COLOR = '#0f7b6c';

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Labels({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [labels, setLabels] = useState<Label[] | null>(null);
  const [name, setName] = useState('');
  const [color, setColor] = useState(DEFAULT_COLOR);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function describe(caught: unknown): string {
    return caught instanceof ApiError && caught.status === 409
      ? t.labelsPageNameTaken
      : errorText(caught, i18n);
  }

  async function reload() {
    try {
      setLabels((await api.labels()).items);
    } catch (caught) {
      setError(describe(caught));
      setLabels([]);
    }
  }

  useEffect(() => {
    void reload();
    // Loaded once when the page opens.
  }, []);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError(t.labelsPageNameRequired);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.createLabel({ name: name.trim(), color });
      setName('');
      await reload();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="labels-page" data-testid="labels-page">
      <p className="muted">{t.labelsPageHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="label-row label-new" onSubmit={add}>
        <input
          name="label-name"
          dir="auto"
          maxLength={40}
          value={name}
          placeholder={t.labelsPageName}
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
        <span className="label-preview" style={{ borderColor: color }} aria-label={t.labelsPagePreview}>
          <span className="label-swatch" style={{ background: color }} aria-hidden="true" />
          <bdi>{name.trim() || t.labelsPageName}</bdi>
        </span>
        <button type="submit" className="primary" disabled={busy}>
          {t.labelsPageAdd}
        </button>
      </form>
      {labels === null ? (
        <p className="muted">{t.loading}</p>
      ) : labels.length === 0 ? (
        <p className="muted">{t.labelsPageEmpty}</p>
      ) : (
        <ul className="labels-list">
          {labels.map((label) => (
            <LabelRow
              key={label.id}
              label={label}
              onChanged={reload}
              onError={(caught) => setError(describe(caught))}
            />
          ))}
        </ul>
      )}
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
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setName(label.name);
    setColor(label.color);
  }, [label.name, label.color]);

  const changes = {
    ...(name.trim() !== label.name ? { name: name.trim() } : {}),
    ...(color.toLowerCase() !== label.color ? { color } : {}),
  };
  const dirty = Object.keys(changes).length > 0 && name.trim() !== '';

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    try {
      await action();
      await onChanged();
    } catch (caught) {
      onError(caught);
    } finally {
      setBusy(false);
    }
  }

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
        {confirming ? (
          <span className="label-confirm" role="group">
            <span>{t.labelsPageDeleteConfirm.replace('{name}', label.name)}</span>
            <button
              type="button"
              className="danger"
              data-action="confirm-delete-label"
              disabled={busy}
              onClick={() => void run(() => api.deleteLabel(label.id))}
            >
              {t.labelsPageDelete}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              {t.cancel}
            </button>
          </span>
        ) : (
          <button
            type="button"
            data-action="delete-label"
            onClick={() => setConfirming(true)}
            disabled={busy}
          >
            {t.labelsPageDelete}
          </button>
        )}
      </form>
    </li>
  );
}
