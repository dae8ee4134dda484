/**
 * What an edit or a reaction does to a stored message (issue 12): pure rules, no I/O. Deletions
 * need no rule: the first one's time is kept and the text and media stay (shown as "deleted by the
 * customer"). Changes may arrive out of order (queue retries, provider redelivery), so each rule
 * compares the change's own time with what the message already holds.
 */

/** An earlier version of an edited message: its text and when that version was written. */
export interface MessageVersion {
  text: string | null;
  /** ISO 8601. */
  at: string;
}

/** What an edit reads and writes of a message. */
export interface EditableMessage {
  /** The current text (for media, the caption: see `editedField`). */
  text: string | null;
  /** When the current text was written: the latest edit's time, else the message's own time. */
  editedAt: Date | null;
  sentAt: Date;
  /** Earlier versions, oldest first. */
  edits: MessageVersion[];
}

/**
 * Applies an edit: the current text becomes an earlier version and the edit's text the current
 * one. An edit older than the current version (it arrived late) only joins the history, in time
 * order; a version already held (same time and text) is kept once. Two edits within the same
 * second (the Cloud API's timestamps are whole seconds) apply in arrival order.
 * @param edit the new text and the customer's time of the edit.
 * @returns the message's new text, edit time and history.
 */
export function applyEditTo(
  message: EditableMessage,
  edit: { text: string | null; at: Date },
): { text: string | null; editedAt: Date | null; edits: MessageVersion[] } {
  const current = message.editedAt ?? message.sentAt;
  const at = edit.at.toISOString();
  const held =
    (current.toISOString() === at && message.text === edit.text) ||
    message.edits.some((version) => version.at === at && version.text === edit.text);
  if (held) return { text: message.text, editedAt: message.editedAt, edits: message.edits };
  if (edit.at < current) {
    const edits = [...message.edits, { text: edit.text, at: edit.at.toISOString() }].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
    return { text: message.text, editedAt: message.editedAt, edits };
  }
  return {
    text: edit.text,
    editedAt: edit.at,
    edits: [...message.edits, { text: message.text, at: current.toISOString() }],
  };
}

/** A stored reaction: `emoji` '' records a removal (hidden from agents, kept for ordering). */
export interface StoredReaction {
  emoji: string;
  /** Who reacted: always the customer for now (the API's `by`). */
  by: 'customer';
  /** The reacting account (E.164, lid or user id), so each sender holds one reaction. */
  sender: string;
  /** ISO 8601: the customer's time of the reaction. */
  at: string;
}

/**
 * Applies a reaction: each sender holds at most one (WhatsApp replaces it); an empty emoji removes
 * it. A reaction older than the sender's current one (it arrived late) changes nothing.
 */
export function applyReactionTo(
  reactions: readonly StoredReaction[],
  reaction: { emoji: string; sender: string; at: Date },
): StoredReaction[] {
  const at = reaction.at.toISOString();
  const previous = reactions.find((entry) => entry.sender === reaction.sender);
  if (previous && previous.at > at) return [...reactions];
  return [
    ...reactions.filter((entry) => entry.sender !== reaction.sender),
    { emoji: reaction.emoji, by: 'customer', sender: reaction.sender, at },
  ];
}

/** The reactions agents see: removals left out, oldest first. */
export function visibleReactions(
  reactions: readonly StoredReaction[],
): Array<{ emoji: string; by: 'customer'; at: string }> {
  return reactions
    .filter((entry) => entry.emoji !== '')
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(({ emoji, by, at }) => ({ emoji, by, at }));
}
