/**
 * The snooze choices under the snooze button: later today, tomorrow 9:00, next week, or a date and
 * time. The ticket becomes pending until then and reopens by itself (the server's clock decides).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { SNOOZE_MAX_DAYS } from '@whatsapp-helpdesk/contract/api';
import { useI18n } from '../i18n';
import { formatMoment } from './format';
import { fromLocalInputValue, snoozeTime, SNOOZE_CHOICES, toLocalInputValue } from './snooze-times';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHOICE_WORD = {
  laterToday: 'snoozeLaterToday',
  tomorrow: 'snoozeTomorrow',
  nextWeek: 'snoozeNextWeek',
} as const;

/**
 * @param onSnooze called with the chosen moment (ISO); the picker closes when it resolves.
 * @param onClose called on Esc, a click outside or Cancel.
 */
export function SnoozePicker({
  busy,
  onSnooze,
  onClose,
}: {
  busy: boolean;
  onSnooze: (until: string) => void;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [now] = useState(() => new Date());
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);

  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (box.current && !box.current.contains(target) && !box.current.parentElement?.contains(target))
        close.current();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, []);

  function submitCustom(event: FormEvent) {
    event.preventDefault();
    const until = fromLocalInputValue(custom);
    if (!until || new Date(until).getTime() <= Date.now()) return setError(t.snoozeInFuture);
    if (new Date(until).getTime() > Date.now() + SNOOZE_MAX_DAYS * DAY_MS) return setError(t.snoozeTooFar);
    setError(null);
    onSnooze(until);
  }

  return (
    <div ref={box} className="snooze-picker" role="dialog" aria-labelledby={titleId}>
      <p id={titleId} className="picker-title">
        {t.snoozeUntilLabel}
      </p>
      <ul>
        {SNOOZE_CHOICES.map((choice) => {
          const at = snoozeTime(choice, now);
          return (
            <li key={choice}>
              <button
                type="button"
                data-snooze={choice}
                disabled={busy}
                onClick={() => onSnooze(at.toISOString())}
              >
                <span>{t[CHOICE_WORD[choice]]}</span>{' '}
                <span className="muted small">{formatMoment(language, at.toISOString())}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <form onSubmit={submitCustom} className="snooze-custom">
        <label>
          {t.snoozePickDateTime}
          <input
            type="datetime-local"
            name="snoozeUntil"
            dir="ltr"
            required
            min={toLocalInputValue(now)}
            max={toLocalInputValue(new Date(now.getTime() + SNOOZE_MAX_DAYS * DAY_MS))}
            value={custom}
            onChange={(event) => setCustom(event.target.value)}
          />
        </label>
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t.snooze}
          </button>
          <button type="button" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
