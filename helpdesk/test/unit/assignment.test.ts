import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selectAgent, type AgentLoad } from '../../src/domain/assignment';

function agent(id: string, openTickets: number, lastAssignedAt: string | null, capacity = 5): AgentLoad {
  return { id, capacity, openTickets, lastAssignedAt: lastAssignedAt ? new Date(lastAssignedAt) : null };
}

describe('selectAgent', () => {
  it('when agents have different loads, then the one with the fewest open tickets is picked', () => {
    const picked = selectAgent([
      agent('amira', 3, '2024-01-01T08:00:00Z'),
      agent('bassem', 1, '2024-01-01T11:00:00Z'),
      agent('chady', 2, '2024-01-01T07:00:00Z'),
    ]);
    assert.equal(picked?.id, 'bassem');
  });

  it('when two agents tie on load, then the one idle longest (earliest last assignment) is picked', () => {
    const picked = selectAgent([
      agent('amira', 1, '2024-01-01T10:00:00Z'),
      agent('bassem', 1, '2024-01-01T09:00:00Z'),
      agent('chady', 2, '2024-01-01T06:00:00Z'),
    ]);
    assert.equal(picked?.id, 'bassem');
  });

  it('when an agent tied on load was never assigned, then that agent is picked first', () => {
    const picked = selectAgent([agent('amira', 0, '2023-01-01T00:00:00Z'), agent('bassem', 0, null)]);
    assert.equal(picked?.id, 'bassem');
  });

  it('when the least-loaded agent is at capacity, then the next available agent is picked', () => {
    const picked = selectAgent([
      agent('amira', 2, '2024-01-01T08:00:00Z', 2),
      agent('bassem', 4, '2024-01-01T09:00:00Z', 10),
    ]);
    assert.equal(picked?.id, 'bassem');
  });

  it('when an agent has capacity 0, then they never get a ticket', () => {
    assert.equal(selectAgent([agent('amira', 0, null, 0)]), null);
  });

  it('when every agent is at capacity, then nobody is picked and the ticket waits', () => {
    assert.equal(
      selectAgent([agent('amira', 3, null, 3), agent('bassem', 6, '2024-01-01T00:00:00Z', 5)]),
      null,
    );
  });

  it('when no agent is online, then nobody is picked', () => {
    assert.equal(selectAgent([]), null);
  });

  it('when agents tie on load and idle time, then the choice does not depend on their order', () => {
    const a = agent('amira', 1, '2024-01-01T09:00:00Z');
    const b = agent('bassem', 1, '2024-01-01T09:00:00Z');
    assert.equal(selectAgent([a, b])?.id, selectAgent([b, a])?.id);
  });
});
