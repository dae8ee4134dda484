/**
 * Keeps Chromium's PDF viewer from taking the focus on its own. The viewer inside a preview frame
 * takes it when the frame is laid out again (seen in headless Chromium 156 when the console switches
 * between right to left and left to right, about half a second later), and `inert` on the frame
 * does not stop it: an agent typing a reply lost the rest of the sentence, and the canned-response
 * list closed. When the focus lands in the frame by no act of the agent's (the pointer is not on
 * it, and it did not move there from an element of the page, as Tab moves it), it goes back to the
 * element that lost it, caret and all.
 */
import { useEffect, type RefObject } from 'react';

/** @param frame the preview's `<iframe>` (may be absent until the preview shows). */
export function useFocusKeptFromFrame(frame: RefObject<HTMLIFrameElement | null>, shown: boolean): void {
  useEffect(() => {
    const element = frame.current;
    if (!shown || !element) return;
    let pointerOver = false;
    // The element that lost the focus to nowhere in this page (relatedTarget null), if any.
    let lostBy: HTMLElement | null = null;
    const enter = () => (pointerOver = true);
    const leave = () => (pointerOver = false);
    const focusOut = (event: FocusEvent) => {
      lostBy = event.relatedTarget === null && event.target instanceof HTMLElement ? event.target : null;
    };
    const blur = () => {
      // The frame becomes the active element as the window blurs; checked once that settled.
      setTimeout(() => {
        const previous = lostBy;
        if (document.activeElement !== element || pointerOver || !previous?.isConnected) return;
        previous.focus({ preventScroll: true });
      });
    };
    element.addEventListener('pointerenter', enter);
    element.addEventListener('pointerleave', leave);
    document.addEventListener('focusout', focusOut);
    window.addEventListener('blur', blur);
    return () => {
      element.removeEventListener('pointerenter', enter);
      element.removeEventListener('pointerleave', leave);
      document.removeEventListener('focusout', focusOut);
      window.removeEventListener('blur', blur);
    };
  }, [frame, shown]);
}
