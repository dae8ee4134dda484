/**
 * A small built-in emoji grid for the reply box: the emoji a pharmacy's agents use most. Built in
 * rather than a package because the picker packages fetch their emoji data from a CDN at run time,
 * which the console's Content-Security-Policy (and an offline LAN) rules out.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

// Split on spaces: one entry may be several code points (❤️ is a heart and a variation selector).
const EMOJI =
  '🙂 😊 😀 😂 😉 😍 🤔 😔 😢 🙏 👍 👌 👋 🤝 👏 🙌 💪 ❤️ 💚 🌹 ✅ ❌ ⚠️ ⏳ 🕘 📅 📦 🚚 📍 📞 💊 🩺 🏥 🧾 💳 💵 📝 📷 🎉 ✨'.split(
    ' ',
  );

/** A button that opens the grid; `onPick` gets the chosen emoji. */
export function ComposerEmoji({ onPick, disabled }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="composer-emoji" ref={box}>
      <button
        type="button"
        className="composer-icon"
        aria-label={t.composerEmoji}
        title={t.composerEmoji}
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen((value) => !value)}
      >
        {/* Drawn, not an emoji character: machines without an emoji font show a box instead. */}
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <circle cx="9" cy="10" r="1.3" fill="currentColor" />
          <circle cx="15" cy="10" r="1.3" fill="currentColor" />
          <path
            d="M7.8 14.2a4.8 4.8 0 0 0 8.4 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </svg>
      </button>
      {open && (
        <div
          className="composer-emoji-grid"
          role="dialog"
          aria-label={t.composerEmoji}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          {EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                onPick(emoji);
                setOpen(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
