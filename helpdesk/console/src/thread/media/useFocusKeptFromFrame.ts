/**
 * Keeps Chromium's PDF viewer from taking the focus on its own. The viewer inside a preview frame
 * takes it when the frame is laid out again (seen in headless Chromium 156 when the console switches
 * between right to left and left to right, about half a second later) and when it fails to render
 * the file (half a second after the frame loads), and `inert` on the frame does not stop it: an
 * agent typing a reply lost the rest of the sentence, and the canned-response list closed. Given
 * back a task later: focusing the element in the blur event itself moves the page's focus but the
 * keys keep going to the frame (measured: most of 300 keys lost, against 0 – 1 this way). When the focus lands in the frame by no act of the agent's, it goes back to the
 * element that lost it, caret and all. An act of the agent's: the pointer last seen in the page was
 * on the frame or at its edge (a click into the PDF; the page sees no pointer events inside the
 * frame, and its enter and leave events come late), or the focus moved there from an element of the
 * page (as Tab moves it).
 */
import { useEffect, type RefObject } from 'react';

/** How far outside the frame (CSS px) the pointer last seen still counts as going into it. */
const EDGE_PX = 40;

/**
 * @param frame the preview's `<iframe>`.
 * @param shown whether the frame is rendered (the hook waits for it).
 */
export function useFocusKeptFromFrame(frame: RefObject<HTMLIFrameElement | null>, shown: boolean): void {
  useEffect(() => {
    const element = frame.current;
    if (!shown || !element) return;
    let pointer: { x: number; y: number } | null = null;
    // The element that lost the focus to nowhere in this page (relatedTarget null), if any.
    let lostBy: HTMLElement | null = null;
    const move = (event: PointerEvent) => {
      pointer = { x: event.clientX, y: event.clientY };
    };
    const focusOut = (event: FocusEvent) => {
      lostBy = event.relatedTarget === null && event.target instanceof HTMLElement ? event.target : null;
    };
    const blur = () => {
      // The frame becomes the active element as the window blurs; checked once that settled.
      setTimeout(() => {
        const previous = lostBy;
        if (document.activeElement !== element || !previous?.isConnected) return;
        if (pointer && isNear(element.getBoundingClientRect(), pointer)) return;
        previous.focus({ preventScroll: true });
      });
    };
    document.addEventListener('pointermove', move, { passive: true });
    document.addEventListener('focusout', focusOut);
    window.addEventListener('blur', blur);
    return () => {
      document.removeEventListener('pointermove', move);
      document.removeEventListener('focusout', focusOut);
      window.removeEventListener('blur', blur);
    };
  }, [frame, shown]);
}

function isNear(rect: DOMRect, point: { x: number; y: number }): boolean {
  return (
    point.x >= rect.left - EDGE_PX &&
    point.x <= rect.right + EDGE_PX &&
    point.y >= rect.top - EDGE_PX &&
    point.y <= rect.bottom + EDGE_PX
  );
}
