/**
 * Team-limited assignment (SPEC section 9), the pure part (domain/assignment.ts): a ticket of a
 * channel routed to a team goes only to that team's available members, least-loaded first; other
 * tickets go to anyone; a ticket nobody eligible can take waits without holding back the next ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  freePlaces,
  planAssignments,
  selectAgent,
  type AgentLoad,
  type WaitingTicket,
} from '../../src/domain/assignment';

const NASR = 'team-nasr-city';
const MAADI = 'team-maadi';

function agent(
  id: string,
  openTickets: number,
  teamIds: string[],
  options: { capacity?: number; lastAssignedAt?: string } = {},
): AgentLoad {
  return {
    id,
    capacity: options.capacity ?? 5,
    openTickets,
    lastAssignedAt: options.lastAssignedAt ? new Date(options.lastAssignedAt) : null,
    teamIds,
  };
}

function ticket(number: number, teamId: string | null): WaitingTicket {
  return {
    id: `ticket-${number}`,
    number,
    teamId,
    waitingSince: new Date(Date.UTC(2026, 10, 28, 10, number)),
  };
}

describe('selectAgent with a team', () => {
  it('when the ticket’s channel has a team, then the least-loaded member is picked, not a less-loaded non-member', () => {
    const picked = selectAgent(
      [agent('amira', 0, []), agent('bassem', 3, [NASR]), agent('chady', 2, [NASR, MAADI])],
      NASR,
    );
    assert.equal(picked?.id, 'chady');
  });

  it('when team members tie on load, then the one idle longest is picked', () => {
    const picked = selectAgent(
      [
        agent('bassem', 1, [NASR], { lastAssignedAt: '2026-11-28T09:00:00Z' }),
        agent('chady', 1, [NASR], { lastAssignedAt: '2026-11-28T08:00:00Z' }),
      ],
      NASR,
    );
    assert.equal(picked?.id, 'chady');
  });

  it('when every member of the team is at capacity, then nobody is picked even with others free', () => {
    assert.equal(
      selectAgent([agent('amira', 0, []), agent('bassem', 2, [NASR], { capacity: 2 })], NASR),
      null,
    );
  });

  it('when the ticket has no team, then any agent may be picked, members included', () => {
    assert.equal(selectAgent([agent('amira', 2, []), agent('bassem', 1, [NASR])], null)?.id, 'bassem');
  });
});

describe('freePlaces', () => {
  it('when agents have free capacity, then each team counts its members’ and anyone counts all', () => {
    const places = freePlaces([
      agent('amira', 1, [], { capacity: 3 }),
      agent('bassem', 4, [NASR], { capacity: 5 }),
      agent('chady', 0, [NASR, MAADI], { capacity: 2 }),
      agent('dina', 6, [MAADI], { capacity: 5 }),
    ]);
    assert.equal(places.anyone, 5);
    assert.deepEqual(Object.fromEntries(places.teams), { [NASR]: 3, [MAADI]: 2 });
  });
});

describe('planAssignments', () => {
  it('when a team’s members are all busy, then its ticket waits and later tickets of other channels are assigned', () => {
    const agents = [agent('amira', 0, []), agent('bassem', 5, [NASR])];
    const made = planAssignments(
      agents,
      [ticket(1, NASR), ticket(2, null), ticket(3, MAADI), ticket(4, null)],
      new Date(),
    );
    assert.deepEqual(
      made.map((assignment) => [assignment.ticketNumber, assignment.agentId]),
      [
        [2, 'amira'],
        [4, 'amira'],
      ],
    );
    assert.equal(agents[0]!.openTickets, 2);
  });

  it('when tickets of a team and of no team wait, then team tickets stay within the team and the load evens out', () => {
    const agents = [agent('amira', 0, []), agent('bassem', 0, [NASR]), agent('chady', 1, [NASR])];
    const made = planAssignments(
      agents,
      [ticket(1, NASR), ticket(2, NASR), ticket(3, NASR), ticket(4, null)],
      new Date('2026-11-28T12:00:00Z'),
    );
    assert.deepEqual(
      made.map((assignment) => [assignment.ticketNumber, assignment.agentId]),
      [
        [1, 'bassem'],
        [2, 'chady'],
        [3, 'bassem'],
        [4, 'amira'],
      ],
    );
    // Distinct, increasing times: "idle longest" stays exact within one run.
    assert.deepEqual(
      made.map((assignment) => assignment.assignedAt.getTime() - made[0]!.assignedAt.getTime()),
      [0, 1, 2, 3],
    );
  });

  it('when capacity runs out, then the remaining tickets wait', () => {
    const agents = [agent('amira', 1, [], { capacity: 2 })];
    const made = planAssignments(agents, [ticket(1, null), ticket(2, null)], new Date());
    assert.deepEqual(
      made.map((assignment) => assignment.ticketNumber),
      [1],
    );
  });
});
