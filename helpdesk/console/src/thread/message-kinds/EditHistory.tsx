/**
 * "Edited" on a message the customer changed after sending, with the earlier versions (oldest
 * first) behind a disclosure; the bubble's text is the current version.
 */
import { useI18n } from '../../i18n';
import { formatNumber } from '../format';
import type { EditPart } from './fields';

export function EditHistory({ editedAt, edits }: { editedAt: string; edits: EditPart[] }) {
  const { t, language, formatTime } = useI18n();
  const marker = (
    <span className="edited-marker">
      {t.edited} · <time dateTime={editedAt}>{formatTime(editedAt)}</time>
    </span>
  );
  if (edits.length === 0) return <p className="edit-history">{marker}</p>;
  return (
    <details className="edit-history">
      <summary>
        {marker} · {t.editedVersions.replace('{count}', formatNumber(language, edits.length))}
      </summary>
      <ol className="edit-versions">
        {edits.map((edit, index) => (
          <li key={`${edit.at}-${index}`}>
            {edit.text ? (
              <bdi dir="auto" className="edit-text">
                {edit.text}
              </bdi>
            ) : (
              <span className="muted">{t.editedNoText}</span>
            )}{' '}
            <time dateTime={edit.at} className="muted small">
              {formatTime(edit.at)}
            </time>
          </li>
        ))}
      </ol>
    </details>
  );
}
