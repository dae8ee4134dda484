/**
 * A button that opens a small menu below it (settings, admin). It closes on Escape (focus returns
 * to the button), on a click outside, and after a choice.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** @param children the menu's content; `close` ends it (e.g. after a choice). */
export function Menu({
  label,
  className,
  testId,
  children,
}: {
  label: ReactNode;
  className?: string;
  testId?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return undefined;
    const outside = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', outside);
    root.current?.addEventListener('keydown', escape);
    const node = root.current;
    return () => {
      document.removeEventListener('pointerdown', outside);
      node?.removeEventListener('keydown', escape);
    };
  }, [open]);

  return (
    <div className={`menu ${className ?? ''}`.trim()} ref={root}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        data-testid={testId}
        onClick={() => setOpen((current) => !current)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="menu-panel" id={id}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
