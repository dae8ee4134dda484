/**
 * The pure rules of message changes (domain/message-changes.ts): edits keep their history in time
 * order whatever order they arrive in, and each sender holds one reaction, a late one changing
 * nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEditTo, applyReactionTo, visibleReactions } from '../../src/domain/message-changes';

const sentAt = new Date('2026-11-28T10:00:00.000Z');
const at = (seconds: number) => new Date(sentAt.getTime() + seconds * 1000);

describe('message changes', () => {
  it('when edits arrive in order, then the latest text shows and the earlier ones are kept oldest first', () => {
    const first = applyEditTo({ text: 'a', editedAt: null, sentAt, edits: [] }, { text: 'b', at: at(10) });
    const second = applyEditTo({ ...first, sentAt }, { text: 'c', at: at(20) });
    assert.equal(second.text, 'c');
    assert.deepEqual(second.editedAt, at(20));
    assert.deepEqual(second.edits, [
      { text: 'a', at: sentAt.toISOString() },
      { text: 'b', at: at(10).toISOString() },
    ]);
  });

  it('when an older edit arrives late, then it joins the history and the text stays', () => {
    const latest = applyEditTo({ text: 'a', editedAt: null, sentAt, edits: [] }, { text: 'c', at: at(20) });
    const late = applyEditTo({ ...latest, sentAt }, { text: 'b', at: at(10) });
    assert.equal(late.text, 'c');
    assert.deepEqual(
      late.edits.map((version) => version.text),
      ['a', 'b'],
    );
    // The same edit again changes nothing.
    assert.deepEqual(applyEditTo({ ...late, sentAt }, { text: 'b', at: at(10) }).edits, late.edits);
  });

  it('when two edits share a second, then both apply in arrival order', () => {
    const first = applyEditTo({ text: 'a', editedAt: null, sentAt, edits: [] }, { text: 'b', at: at(5) });
    const second = applyEditTo({ ...first, sentAt }, { text: 'c', at: at(5) });
    assert.equal(second.text, 'c');
    assert.deepEqual(
      second.edits.map((version) => version.text),
      ['a', 'b'],
    );
  });

  it('when a sender reacts again or removes it, then they hold one reaction, and a late one is ignored', () => {
    const one = applyReactionTo([], { emoji: '👍', sender: '+201001234567', at: at(1) });
    const replaced = applyReactionTo(one, { emoji: '❤️', sender: '+201001234567', at: at(2) });
    assert.deepEqual(
      visibleReactions(replaced).map((reaction) => reaction.emoji),
      ['❤️'],
    );
    assert.deepEqual(
      applyReactionTo(replaced, { emoji: '😮', sender: '+201001234567', at: at(1) }),
      replaced,
    );
    const removed = applyReactionTo(replaced, { emoji: '', sender: '+201001234567', at: at(3) });
    assert.deepEqual(visibleReactions(removed), []);
  });
});
