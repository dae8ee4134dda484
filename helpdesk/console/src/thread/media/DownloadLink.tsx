/** A link that downloads an attachment under its own file name. */
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { formatSize } from '../format';

/** The attachment's URL asking the server for a download (Content-Disposition: attachment). */
export function downloadHref(attachment: Pick<Attachment, 'url'>): string {
  return `${attachment.url}${attachment.url.includes('?') ? '&' : '?'}download=1`;
}

/** @param withName show the file name and size (documents), else only "Download". */
export function DownloadLink({
  attachment,
  withName = false,
}: {
  attachment: Attachment;
  withName?: boolean;
}) {
  const { t, language } = useI18n();
  return (
    <a
      className={withName ? 'document' : 'download-link'}
      href={downloadHref(attachment)}
      download={attachment.filename ?? ''}
    >
      {withName ? (
        <>
          <span className="doc-icon" aria-hidden="true" />{' '}
          <bdi className="filename">{attachment.filename ?? t.document}</bdi>{' '}
          <span className="muted">({formatSize(language, attachment.size)})</span> · {t.download}
        </>
      ) : (
        t.download
      )}
    </a>
  );
}
