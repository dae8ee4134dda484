/**
 * The pure parts of message templates (issue 17): variables found per component (positional and
 * named, Meta "Template parameters"), the filled-in preview, the send's `components`, and the
 * Cloud API template message body (Meta, "Send message templates").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  renderTemplate,
  templateGraphComponents,
  templateVariables,
  unsupportedTemplatePart,
  usesNamedParameters,
} from '@whatsapp-helpdesk/contract/api';
import { templateMessage } from '../../src/whatsapp/cloud/outbound-messages';

const POSITIONAL = [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
  { type: 'BODY', text: 'Ready at {{2}} for {{1}}; again {{1}}.' },
  { type: 'FOOTER', text: 'Pharmacy' },
  { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
];

describe('message template variables', () => {
  it('when variables are positional, then each is counted once, in number order', () => {
    assert.deepEqual(templateVariables(POSITIONAL), { header: ['1'], body: ['1', '2'] });
    assert.equal(usesNamedParameters({ components: POSITIONAL }), false);
  });

  it('when the header is an image, then it has no text variables', () => {
    assert.deepEqual(
      templateVariables([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'No variables here' },
      ]),
      { header: [], body: [] },
    );
  });

  it('when variables are named, then they keep the text order and the send names them', () => {
    const components = [{ type: 'BODY', text: 'Hi {{first_name}}, refill {{medicine}} ({{first_name}})' }];
    const variables = templateVariables(components);
    assert.deepEqual(variables, { header: [], body: ['first_name', 'medicine'] });
    assert.equal(usesNamedParameters({ components }), true);
    assert.deepEqual(templateGraphComponents(variables, { body: ['Mona', 'Panadol'] }, true), [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Mona', parameter_name: 'first_name' },
          { type: 'text', text: 'Panadol', parameter_name: 'medicine' },
        ],
      },
    ]);
    assert.equal(renderTemplate(components, { body: ['Mona', 'Panadol'] }), 'Hi Mona, refill Panadol (Mona)');
  });

  it('when a template is filled, then the preview joins header, body and footer and keeps unfilled ones', () => {
    assert.equal(
      renderTemplate(POSITIONAL, { header: ['#7'], body: ['منى', 'مصر الجديدة'] }),
      'Order #7\n\nReady at مصر الجديدة for منى; again منى.\n\nPharmacy',
    );
    assert.equal(
      renderTemplate(POSITIONAL, { header: [], body: ['Mona'] }),
      'Order {{1}}\n\nReady at {{2}} for Mona; again Mona.\n\nPharmacy',
    );
  });

  it('when a template needs media or a button parameter, then it is named unsupported', () => {
    assert.equal(unsupportedTemplatePart(POSITIONAL), null, 'text header and quick replies are fine');
    assert.match(
      unsupportedTemplatePart([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hi' },
      ])!,
      /header is IMAGE/,
    );
    assert.match(
      unsupportedTemplatePart([
        { type: 'BODY', text: 'Track it' },
        {
          type: 'BUTTONS',
          buttons: [{ type: 'URL', text: 'Track', url: 'https://pharmacy.example/o/{{1}}' }],
        },
      ])!,
      /button has a variable/,
    );
  });

  it('when a template is sent through the Cloud API, then the body is Meta’s template message', () => {
    const variables = templateVariables(POSITIONAL);
    const body = templateMessage(
      { phone: '+201001234567', lid: null, userId: null },
      {
        name: 'order_ready',
        language: 'en_US',
        components: templateGraphComponents(
          variables,
          { header: ['#7'], body: ['Mona', 'Heliopolis'] },
          false,
        ),
        text: 'ignored by the Cloud API',
      },
    );
    assert.deepEqual(body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '201001234567',
      type: 'template',
      template: {
        name: 'order_ready',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#7' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Mona' },
              { type: 'text', text: 'Heliopolis' },
            ],
          },
        ],
      },
    });
  });
});
