/**
 * A photo full screen: fitted to the window, zoom in and out (drag or scroll to move around a zoomed
 * photo), rotate a quarter turn (prescriptions often arrive sideways), download, close. A modal
 * `<dialog>`: focus stays inside, Esc closes, focus returns to the photo.
 */
import { useEffect, useRef, useState } from 'react';
import type { Attachment } from '../../api';
import { useI18n } from '../../i18n';
import { formatNumber } from '../format';
import { useModalDialog } from '../useModalDialog';
import { downloadHref } from './DownloadLink';
import { viewerLayout, type Size } from './viewer-layout';

/** Zoom steps, as a factor of the fitted size. */
export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 4;
export const ZOOM_STEP = 0.5;

/** @param onClose called on Esc, the close button or a click on the backdrop. */
export function ImageViewer({ attachment, onClose }: { attachment: Attachment; onClose: () => void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const [zoom, setZoom] = useState(1);
  const [rotation, setRotation] = useState(0);
  const [natural, setNatural] = useState<Size | null>(null);
  const [room, setRoom] = useState<Size | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(null);
  useModalDialog(dialog, onClose, closeButton);
  // The room for the photo follows the window.
  useEffect(() => {
    const element = stage.current;
    if (!element) return undefined;
    const measure = () => {
      const style = getComputedStyle(element);
      const padding = (side: 'Left' | 'Right' | 'Top' | 'Bottom') => parseFloat(style[`padding${side}`]) || 0;
      setRoom({
        width: element.clientWidth - padding('Left') - padding('Right'),
        height: element.clientHeight - padding('Top') - padding('Bottom'),
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // Keys: + and - zoom, R turns (also on an Arabic keyboard: ق is where R is).
  useEffect(() => {
    const element = dialog.current;
    if (!element) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '+' || event.key === '=') setZoom((value) => Math.min(ZOOM_MAX, value + ZOOM_STEP));
      else if (event.key === '-') setZoom((value) => Math.max(ZOOM_MIN, value - ZOOM_STEP));
      else if (event.key === 'r' || event.key === 'R' || event.key === 'ق')
        setRotation((value) => (value + 90) % 360);
    };
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, []);
  const name = attachment.filename ?? t.image;
  const layout = natural && room ? viewerLayout(natural, room, rotation, zoom) : null;
  return (
    <dialog
      ref={dialog}
      className="image-viewer"
      aria-label={t.imageViewer}
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <div className="viewer-tools" role="toolbar" aria-label={t.imageViewer}>
        <button
          type="button"
          data-viewer="zoom-out"
          aria-label={t.zoomOut}
          title={`${t.zoomOut} (-)`}
          aria-keyshortcuts="-"
          disabled={zoom <= ZOOM_MIN}
          onClick={() => setZoom((value) => Math.max(ZOOM_MIN, value - ZOOM_STEP))}
        >
          −
        </button>
        <output className="zoom-level" aria-live="polite">
          {formatNumber(language, Math.round(zoom * 100))}
          {language === 'ar' ? '٪' : '%'}
        </output>
        <button
          type="button"
          data-viewer="zoom-in"
          aria-label={t.zoomIn}
          title={`${t.zoomIn} (+)`}
          aria-keyshortcuts="+"
          disabled={zoom >= ZOOM_MAX}
          onClick={() => setZoom((value) => Math.min(ZOOM_MAX, value + ZOOM_STEP))}
        >
          +
        </button>
        <button
          type="button"
          data-viewer="rotate"
          aria-label={t.rotate}
          title={`${t.rotate} (R)`}
          aria-keyshortcuts="R"
          onClick={() => setRotation((value) => (value + 90) % 360)}
        >
          ⟳
        </button>
        <a className="button-like" href={downloadHref(attachment)} download={attachment.filename ?? ''}>
          {t.download}
        </a>
        <span className="spacer" />
        <button type="button" ref={closeButton} data-viewer="close" onClick={onClose}>
          {t.closeViewer}
        </button>
      </div>
      <div
        ref={stage}
        className={zoom > 1 ? 'viewer-stage can-pan' : 'viewer-stage'}
        onPointerDown={(event) => {
          const element = stage.current;
          if (!element || event.button !== 0) return;
          drag.current = {
            x: event.clientX,
            y: event.clientY,
            left: element.scrollLeft,
            top: element.scrollTop,
            moved: false,
          };
        }}
        onPointerMove={(event) => {
          const start = drag.current;
          const element = stage.current;
          if (!start || !element) return;
          if (event.buttons === 0) {
            drag.current = null;
            return;
          }
          const dx = event.clientX - start.x;
          const dy = event.clientY - start.y;
          if (Math.abs(dx) + Math.abs(dy) > 4) start.moved = true;
          element.scrollLeft = start.left - dx;
          element.scrollTop = start.top - dy;
        }}
        onPointerUp={() => {
          // A click after a drag is not a click on the backdrop.
          setTimeout(() => (drag.current = null));
        }}
        onClick={(event) => {
          if (event.target === event.currentTarget && !drag.current?.moved) onClose();
        }}
      >
        <div
          className="viewer-box"
          style={layout ? { width: layout.box.width, height: layout.box.height } : undefined}
        >
          <img
            src={attachment.url}
            alt={name}
            draggable={false}
            data-rotation={rotation}
            data-zoom={zoom}
            onLoad={(event) =>
              setNatural({
                width: event.currentTarget.naturalWidth,
                height: event.currentTarget.naturalHeight,
              })
            }
            style={{
              width: layout?.image.width,
              height: layout?.image.height,
              visibility: layout ? 'visible' : 'hidden',
              transform: `translate(-50%, -50%) rotate(${rotation}deg)`,
            }}
          />
        </div>
      </div>
    </dialog>
  );
}
