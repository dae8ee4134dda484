/** A voice note or audio file: the player, its duration and the playback speed (1×, 1.5×, 2×). */
import { useRef, useState } from 'react';
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { formatDuration, formatNumber } from '../format';
import { DownloadLink } from './DownloadLink';

export const PLAYBACK_SPEEDS = [1, 1.5, 2] as const;

/** @param onLoad called when the length is known (the timeline keeps its scroll position). */
export function VoiceNote({ attachment, onLoad }: { attachment: Attachment; onLoad: () => void }) {
  const { t, language } = useI18n();
  const audio = useRef<HTMLAudioElement>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [speed, setSpeed] = useState<number>(1);
  const [failed, setFailed] = useState(false);
  const shown = formatDuration(language, duration);
  if (failed) {
    return (
      <div className="voice-note">
        <p className="muted small">{t.mediaUnavailable}</p>
        <DownloadLink attachment={attachment} withName />
      </div>
    );
  }
  return (
    <div className="voice-note">
      <audio
        ref={audio}
        controls
        preload="metadata"
        src={attachment.url}
        aria-label={t.audio}
        onLoadedMetadata={(event) => {
          setDuration(event.currentTarget.duration);
          event.currentTarget.playbackRate = speed;
          onLoad();
        }}
        onDurationChange={(event) => setDuration(event.currentTarget.duration)}
        onError={() => setFailed(true)}
      />
      <div className="voice-tools">
        {shown && (
          <span className="duration" data-duration={duration ?? undefined}>
            {t.duration}: <bdi>{shown}</bdi>
          </span>
        )}
        <span className="speeds" role="group" aria-label={t.playbackSpeed}>
          {PLAYBACK_SPEEDS.map((value) => (
            <button
              key={value}
              type="button"
              className="speed"
              data-speed={value}
              aria-pressed={speed === value}
              onClick={() => {
                setSpeed(value);
                if (audio.current) audio.current.playbackRate = value;
              }}
            >
              {formatNumber(language, value)}×
            </button>
          ))}
        </span>
        <DownloadLink attachment={attachment} />
      </div>
    </div>
  );
}
