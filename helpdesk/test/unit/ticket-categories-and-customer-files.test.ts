/**
 * Pure rules of the customer panel: a ticket's categories are the bot menu's options (an unknown
 * one is refused naming `category`), and who may open the files of a customer's earlier tickets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import { canReadCustomerFile } from '../../src/domain/customer-files';
import { categoryProblem, ticketCategories } from '../../src/domain/ticket-categories';

describe('ticket categories', () => {
  it("when listed, then they are the menu's options in both languages, in its order", () => {
    const categories = ticketCategories(DEFAULT_BOT_TEXTS);
    assert.deepEqual(
      categories.map((category) => category.id),
      DEFAULT_BOT_TEXTS.menu.map((option) => option.id),
    );
    assert.deepEqual(categories[1], { id: 'order_status', ar: 'حالة الطلب', en: 'Order status' });
  });

  it('when an agent picks one, then a menu id or none is fine and anything else names category', () => {
    assert.equal(categoryProblem(DEFAULT_BOT_TEXTS, 'delivery'), null);
    assert.equal(categoryProblem(DEFAULT_BOT_TEXTS, null), null);
    assert.match(
      categoryProblem(DEFAULT_BOT_TEXTS, 'Delivery') ?? '',
      /^category: "Delivery" is not a category/,
    );
  });
});

describe("files of a customer's earlier tickets", () => {
  const mona = { id: 'mona', role: 'agent' as const };
  const admin = { id: 'boss', role: 'admin' as const };
  const earlier = { assigneeId: 'omar' };

  it("when the agent works one of the customer's open tickets, then they may open files of the earlier ones", () => {
    assert.equal(canReadCustomerFile(mona, earlier, [{ assigneeId: 'mona', status: 'open' }]), true);
    assert.equal(
      canReadCustomerFile(mona, earlier, [{ assigneeId: null, status: 'pending' }]),
      true,
      'waiting',
    );
  });

  it("when the customer's tickets are all another agent's or finished, then only their own or an admin may", () => {
    assert.equal(canReadCustomerFile(mona, earlier, [{ assigneeId: 'omar', status: 'open' }]), false);
    assert.equal(canReadCustomerFile(mona, earlier, [{ assigneeId: 'mona', status: 'resolved' }]), false);
    assert.equal(canReadCustomerFile(mona, { assigneeId: 'mona' }, []), true, 'their own ticket');
    assert.equal(canReadCustomerFile(admin, earlier, []), true);
  });
});
