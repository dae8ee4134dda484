/**
 * A PDF: its first pages inline in a frame when the server offers it for inline display (asked with
 * a HEAD request first: a PDF served as a download would otherwise start a download for every PDF
 * in the thread), with open and download links under it. The viewer in the frame does not take the
 * focus from the reply box on its own (useFocusKeptFromFrame).
 */
import { useEffect, useRef, useState } from 'react';
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { DownloadLink } from './DownloadLink';
import { useFocusKeptFromFrame } from './useFocusKeptFromFrame';

/** @param onLoad called when the frame has loaded (the timeline keeps its scroll position). */
export function PdfPreview({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const { t } = useI18n();
  const [inline, setInline] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  useFocusKeptFromFrame(frame, inline);
  useEffect(() => {
    const controller = new AbortController();
    fetch(attachment.url, { method: 'HEAD', credentials: 'same-origin', signal: controller.signal })
      .then((response) => {
        const disposition = response.headers.get('content-disposition') ?? '';
        setInline(response.ok && !/^attachment/i.test(disposition));
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [attachment.url]);
  const name = attachment.filename ?? t.pdfDocument;
  return (
    <div className="pdf-preview">
      {inline && (
        <iframe
          ref={frame}
          src={attachment.url}
          title={name}
          loading="lazy"
          onLoad={onLoad}
          className="pdf-frame"
        />
      )}
      <div className="pdf-links">
        <DownloadLink attachment={attachment} withName />
        {inline && (
          <a href={attachment.url} target="_blank" rel="noopener noreferrer">
            {t.openInNewTab}
          </a>
        )}
      </div>
    </div>
  );
}
