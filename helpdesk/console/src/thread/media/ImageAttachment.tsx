/** A photo or sticker in a bubble: a button that opens the viewer, with a download link. */
import { useState } from 'react';
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { DownloadLink } from './DownloadLink';
import { ImageViewer } from './ImageViewer';

/** @param onLoad called when the photo has decoded (the timeline keeps its scroll position). */
export function ImageAttachment({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [broken, setBroken] = useState(false);
  const name = attachment.filename ?? t.image;
  return (
    <div className="image-attachment">
      {broken ? (
        <p className="muted small">{t.imageUnavailable}</p>
      ) : (
        <button
          type="button"
          className="image-open"
          aria-label={`${t.openImage}: ${name}`}
          onClick={() => setOpen(true)}
        >
          <img src={attachment.url} alt={name} onLoad={onLoad} onError={() => setBroken(true)} />
        </button>
      )}
      <DownloadLink attachment={attachment} />
      {open && <ImageViewer attachment={attachment} onClose={() => setOpen(false)} />}
    </div>
  );
}
