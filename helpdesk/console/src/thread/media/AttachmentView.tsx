/** One attachment in a bubble, shown as people expect it from its MIME type. */
import type { Attachment } from '../../api';
import { DownloadLink } from './DownloadLink';
import { ImageAttachment } from './ImageAttachment';
import { PdfPreview } from './PdfPreview';
import { VideoAttachment } from './VideoAttachment';
import { VoiceNote } from './VoiceNote';

/** Images the browser shows (the server serves these inline). */
const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

/** @param onLoad called when the media's size is known (the timeline keeps its scroll position). */
export function AttachmentView({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const type = attachment.mimeType.split(';')[0]!.trim().toLowerCase();
  if (IMAGE.test(type)) return <ImageAttachment attachment={attachment} onLoad={onLoad} />;
  if (type.startsWith('audio/')) return <VoiceNote attachment={attachment} onLoad={onLoad} />;
  if (type.startsWith('video/')) return <VideoAttachment attachment={attachment} onLoad={onLoad} />;
  if (type === 'application/pdf') return <PdfPreview attachment={attachment} onLoad={onLoad} />;
  return <DownloadLink attachment={attachment} withName />;
}
