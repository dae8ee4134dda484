/**
 * `percentileCont`: the percentile the period report computes itself when durations are counted
 * in business hours, interpolated like PostgreSQL's percentile_cont (values checked by hand).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentileCont } from '../../src/use-cases/reports/get-period-report';

describe('report percentiles', () => {
  it('when there are three durations, then the median is the middle and p90 interpolates', () => {
    // Position (3 - 1) × 0.9 = 1.8: 600 + 0.8 × (1800 - 600) = 1560.
    assert.equal(percentileCont([120, 600, 1800], 0.5), 600);
    assert.equal(percentileCont([120, 600, 1800], 0.9), 1560);
  });

  it('when there are two durations, then the median is their mean', () => {
    assert.equal(percentileCont([120, 600], 0.5), 360);
  });

  it('when there is one or none, then it is that one, or null', () => {
    assert.equal(percentileCont([42], 0.9), 42);
    assert.equal(percentileCont([], 0.5), null);
  });
});
