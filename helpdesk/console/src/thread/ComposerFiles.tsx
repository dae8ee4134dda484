/** The files waiting to be sent with the reply: a thumbnail for images, name and size, remove. */
import { useEffect, useMemo } from 'react';
import { useI18n } from '../i18n';

/** A file chosen, pasted or dropped, with a stable key for the list. */
export interface PendingFile {
  key: string;
  file: File;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** @param onRemove drops one file from the list. */
export function ComposerFiles({
  files,
  onRemove,
}: {
  files: PendingFile[];
  onRemove: (key: string) => void;
}) {
  const { t } = useI18n();
  return (
    <ul className="composer-files" aria-label={t.attach}>
      {files.map((entry) => (
        <FileChip key={entry.key} entry={entry} label={t.removeFile} onRemove={() => onRemove(entry.key)} />
      ))}
    </ul>
  );
}

function FileChip({ entry, label, onRemove }: { entry: PendingFile; label: string; onRemove: () => void }) {
  const isImage = entry.file.type.startsWith('image/');
  const preview = useMemo(() => (isImage ? URL.createObjectURL(entry.file) : null), [entry.file, isImage]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  return (
    <li className="composer-file" data-filename={entry.file.name}>
      {preview ? <img src={preview} alt="" /> : <span className="doc-icon" aria-hidden="true" />}
      <bdi className="composer-file-name">{entry.file.name}</bdi>
      <span className="muted" dir="ltr">
        {size(entry.file.size)}
      </span>
      <button type="button" className="link" aria-label={`${label} ${entry.file.name}`} onClick={onRemove}>
        ✕
      </button>
    </li>
  );
}
