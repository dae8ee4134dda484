import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGraphError, graphErrorFromResponse } from '../../src/whatsapp/cloud/graph-errors';
import { metaError } from '../support/cloud-payloads';

describe('Graph API error mapping', () => {
  it('when Meta answers 131047, then the send fails for good with the 24-hour window named', () => {
    const error = graphErrorFromResponse(
      400,
      metaError(
        131047,
        'Re-engagement message',
        'More than 24 hours have passed since the customer last replied.',
      ),
      'POST /messages',
    );
    assert.equal(error.retryable, false);
    assert.equal(error.providerCode, 131047);
    assert.match(error.message, /^outside the 24-hour customer-service window/);
    assert.match(
      error.message,
      /Cloud API error 131047: \(#131047\) Re-engagement message: More than 24 hours/,
    );
    assert.match(error.message, /POST \/messages, HTTP 400/);
  });

  it('when Meta answers 130429 or HTTP 429, then the send is retried', () => {
    assert.equal(
      graphErrorFromResponse(400, metaError(130429, 'Rate limit hit', 'x'), 'send').retryable,
      true,
    );
    assert.equal(
      graphErrorFromResponse(429, metaError(4, 'Application request limit reached', 'x'), 'send').retryable,
      true,
    );
    assert.equal(graphErrorFromResponse(429, null, 'send').retryable, true);
    assert.equal(
      graphErrorFromResponse(400, metaError(131056, 'Pair rate limit hit', 'x'), 'send').retryable,
      true,
    );
  });

  it('when Meta answers 5xx or a temporary code, then the send is retried', () => {
    assert.equal(graphErrorFromResponse(500, null, 'send').retryable, true);
    assert.equal(graphErrorFromResponse(503, 'not json', 'send').retryable, true);
    assert.equal(
      graphErrorFromResponse(400, metaError(131000, 'Something went wrong', 'x'), 'send').retryable,
      true,
    );
  });

  it('when the number is invalid (131026, 100), then the send fails without retry', () => {
    const undeliverable = graphErrorFromResponse(
      400,
      metaError(131026, 'Message Undeliverable', 'Unable to deliver'),
      'send',
    );
    assert.equal(undeliverable.retryable, false);
    assert.match(undeliverable.message, /cannot receive this message/);
    const invalid = graphErrorFromResponse(400, metaError(100, 'Invalid parameter', 'to is invalid'), 'send');
    assert.equal(invalid.retryable, false);
    assert.match(invalid.message, /refused a parameter/);
  });

  it('when the token expired (190), then it fails without retry and names CLOUD_API_TOKEN', () => {
    const error = graphErrorFromResponse(401, metaError(190, 'Access token has expired', 'x'), 'send');
    assert.equal(error.retryable, false);
    assert.match(error.message, /CLOUD_API_TOKEN/);
  });

  it('when a webhook error is described, then code, title and details appear once', () => {
    assert.equal(
      describeGraphError({ code: 131051, title: 'Message type unknown', details: 'Not supported.' }),
      'Cloud API error 131051: Message type unknown: Not supported.',
    );
    assert.equal(describeGraphError({}), 'Cloud API error');
  });
});
