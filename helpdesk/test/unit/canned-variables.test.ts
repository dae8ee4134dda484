/**
 * Canned responses' variables: renderCannedResponse fills the customer's name, the agent's name and
 * the ticket number, tolerates spaces inside the braces, leaves unknown variables as written and
 * tidies the spaces around a name that is missing; normaliseCannedShortcut gives the stored form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CANNED_SHORTCUT_PATTERN,
  normaliseCannedShortcut,
  renderCannedResponse,
} from '@whatsapp-helpdesk/contract/canned-variables';

const values = { customer: { name: 'منى' }, agent: { name: 'Sara' }, ticket: { number: 42 } };

describe('renderCannedResponse', () => {
  it('when the text holds the three variables, then each is filled', () => {
    assert.equal(
      renderCannedResponse(
        'مرحبا {{customer.name}}، معك {{agent.name}} بخصوص الطلب #{{ticket.number}}',
        values,
      ),
      'مرحبا منى، معك Sara بخصوص الطلب #42',
    );
  });

  it('when spaces are inside the braces, then the variable is still filled', () => {
    assert.equal(
      renderCannedResponse('Hi {{ customer.name }} / {{\tagent.name  }}', values),
      'Hi منى / Sara',
    );
  });

  it('when a variable is unknown, then it is left as written', () => {
    assert.equal(
      renderCannedResponse('Order {{order.id}} for {{customer.name}} {{ nope }}', values),
      'Order {{order.id}} for منى {{ nope }}',
    );
  });

  it('when the customer has no name, then it renders as nothing without a double space', () => {
    const noName = { ...values, customer: { name: null } };
    assert.equal(renderCannedResponse('Hello {{customer.name}} welcome', noName), 'Hello welcome');
    assert.equal(renderCannedResponse('Hello {{customer.name}}, welcome', noName), 'Hello, welcome');
    assert.equal(renderCannedResponse('مرحبا {{customer.name}}، أهلا', noName), 'مرحبا، أهلا');
    assert.equal(renderCannedResponse('Hello {{customer.name}}', noName), 'Hello');
    assert.equal(renderCannedResponse('Hello {{customer.name}}\nLine two', noName), 'Hello\nLine two');
    assert.equal(renderCannedResponse('{{customer.name}} hello', noName), 'hello');
    assert.equal(renderCannedResponse('Hi {{ customer.name }}', { customer: { name: '   ' } }), 'Hi');
    assert.equal(renderCannedResponse('Hi {{customer.name}}!', {}), 'Hi!');
  });

  it('when a value holds braces or dollar signs, then they are inserted literally', () => {
    assert.equal(
      renderCannedResponse('Hi {{customer.name}}', { customer: { name: '$& {{agent.name}}' } }),
      'Hi $& {{agent.name}}',
    );
  });

  it('when there are no variables, then the text is unchanged', () => {
    const text = '  Plain text\n\nwith  two  spaces ';
    assert.equal(renderCannedResponse(text, values), text);
  });
});

describe('normaliseCannedShortcut', () => {
  it('when a shortcut is typed with a slash, capitals or Arabic-Indic digits, then the stored form is plain', () => {
    assert.equal(normaliseCannedShortcut(' /Greet_Ar '), 'greet_ar');
    assert.equal(normaliseCannedShortcut('شكر٢'), 'شكر2');
    assert.match(normaliseCannedShortcut('شكر٢'), CANNED_SHORTCUT_PATTERN);
    assert.doesNotMatch('has space', CANNED_SHORTCUT_PATTERN);
    assert.doesNotMatch('a'.repeat(33), CANNED_SHORTCUT_PATTERN);
  });
});
