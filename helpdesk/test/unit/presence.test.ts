/**
 * Who counts as present (domain/presence.ts): online agents not seen for longer than the grace
 * period are absent; those never seen start their grace period now.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decidePresence, presenceRefreshMs, presenceSweepMs } from '../../src/domain/presence';

describe('presence', () => {
  it('when an online agent was last seen longer ago than the grace period, then they are absent', () => {
    const seen = new Map([
      ['there', 10_000],
      ['gone', 1_000],
      ['just-in-time', 8_000],
    ]);
    assert.deepEqual(decidePresence(['there', 'gone', 'just-in-time', 'new'], seen, 0, 10_000, 2_000), {
      absent: ['gone'],
      unseen: ['new'],
    });
  });

  it('when no API process is up, or one came back lately, then nobody is absent yet', () => {
    const seen = new Map([['gone', 1_000]]);
    assert.deepEqual(
      decidePresence(['gone'], seen, null, 10_000, 2_000).absent,
      [],
      'no API: no console could connect',
    );
    assert.deepEqual(
      decidePresence(['gone'], seen, 9_000, 10_000, 2_000).absent,
      [],
      'the API is back since 9 s',
    );
    assert.deepEqual(decidePresence(['gone'], seen, 7_000, 10_000, 2_000).absent, ['gone']);
  });

  it('when the grace period is short or long, then consoles refresh several times within it', () => {
    assert.equal(presenceRefreshMs(120_000), 10_000);
    assert.equal(presenceRefreshMs(1_500), 375);
    assert.ok(presenceRefreshMs(1_000) * 3 < 1_000);
    assert.equal(presenceSweepMs(86_400_000), 15_000);
    assert.ok(presenceSweepMs(1_500) < 1_500);
  });
});
