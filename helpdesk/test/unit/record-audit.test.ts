/**
 * Recording an audit event never breaks the action it follows (issue 16, "Audit log"): when
 * PostgreSQL cannot be reached the failure is logged through the request's logger, with the acting
 * agent the request set, and nothing is thrown. `auditChanges` keeps only the fields that differ.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { auditChanges } from '../../src/domain/audit-changes';
import { recordAudit, runAsAuditActor } from '../../src/use-cases/audit/record-audit';

describe('audit recording', () => {
  it('when the database cannot be reached, then the failure is logged and nothing is thrown', async () => {
    // Port 1 on the loopback refuses connections: a real pool whose query fails at once.
    const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', max: 1 });
    const logged: Array<{ object: Record<string, unknown>; message: string }> = [];
    const log = {
      error: (object: Record<string, unknown>, message: string) => logged.push({ object, message }),
    };
    try {
      await runAsAuditActor('11111111-1111-4111-8111-111111111111', log as never, () =>
        recordAudit(pool, { action: 'channel.deleted', subjectType: 'channel', subjectId: 'c1' }),
      );
    } finally {
      await pool.end();
    }
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.message, 'audit: could not record');
    assert.equal(logged[0]!.object.action, 'channel.deleted');
    assert.ok(logged[0]!.object.err instanceof Error);
  });

  it('when fields change, then only those appear, with before and after', () => {
    assert.deepEqual(
      auditChanges(
        { name: 'Omar', capacity: 5, role: 'agent', active: true },
        { name: 'Omar', capacity: 8, role: 'admin', active: undefined },
        ['name', 'capacity', 'role', 'active'],
      ),
      { capacity: { before: 5, after: 8 }, role: { before: 'agent', after: 'admin' } },
    );
    assert.deepEqual(auditChanges({ teamId: null }, { teamId: 't1' }, ['teamId']), {
      teamId: { before: null, after: 't1' },
    });
    assert.deepEqual(auditChanges({ overrides: { a: 1 } }, { overrides: { a: 1 } }, ['overrides']), {});
  });
});
