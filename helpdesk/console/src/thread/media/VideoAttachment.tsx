/** A video: the browser's player (only its first bytes load until played), with a download link. */
import { useState } from 'react';
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { DownloadLink } from './DownloadLink';

/** @param onLoad called when the video's size is known (the timeline keeps its scroll position). */
export function VideoAttachment({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState(false);
  return (
    <div className="video-attachment">
      {failed ? (
        <p className="muted small">{t.mediaUnavailable}</p>
      ) : (
        <video
          controls
          preload="metadata"
          src={attachment.url}
          aria-label={attachment.filename ?? t.video}
          onLoadedMetadata={onLoad}
          onError={() => setFailed(true)}
        />
      )}
      <DownloadLink attachment={attachment} withName={failed} />
    </div>
  );
}
