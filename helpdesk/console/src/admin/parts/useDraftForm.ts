/**
 * The state of an admin form: the fields as typed (a draft), checked on submit into the API's
 * body, sent once at a time, the failure shown by the page, and the form emptied after an add.
 */
import { useState, type FormEvent } from 'react';

/**
 * @param options `initial` the draft to start from (and to return to with `resetAfter`);
 *   `read` turns a draft into `{ body }`, or `{ problem }` to show (already translated);
 *   `onSubmit` sends the body; `describe` words a failure; `onError` shows a message (null clears it).
 * @returns the `draft`, `set(field, value)`, `busy` while sending, and `submit` for the form.
 */
export function useDraftForm<Draft extends object, Body>(options: {
  initial: Draft;
  read: (draft: Draft) => { body: Body } | { problem: string };
  onSubmit: (body: Body) => Promise<void>;
  describe: (caught: unknown) => string;
  onError: (message: string | null) => void;
  resetAfter?: boolean;
}) {
  const { initial, read, onSubmit, describe, onError, resetAfter = false } = options;
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  const set = <Key extends keyof Draft>(key: Key, value: Draft[Key]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = read(draft);
    if ('problem' in result) return onError(result.problem);
    setBusy(true);
    onError(null);
    try {
      await onSubmit(result.body);
      if (resetAfter) setDraft(initial);
    } catch (caught) {
      onError(describe(caught));
    } finally {
      setBusy(false);
    }
  }

  return { draft, set, busy, submit };
}
