/** "Deleted by the customer" on a message they deleted for everyone; what we had stays below it. */
import { useI18n } from '../../i18n';

export function DeletedMarker({ deletedAt }: { deletedAt: string }) {
  const { t, formatTime } = useI18n();
  return (
    <p className="deleted-marker" role="note">
      <span className="deleted-icon" aria-hidden="true">
        ⊘
      </span>{' '}
      <strong>{t.deletedByCustomer}</strong> · <time dateTime={deletedAt}>{formatTime(deletedAt)}</time>
      <span className="muted small"> · {t.deletedKept}</span>
    </p>
  );
}
