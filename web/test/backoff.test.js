import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../sdk/backoff.js';

test('delays grow exponentially up to the cap', () => {
  const fixed = { random: () => 1 };
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => backoffDelay(a, fixed)), [500, 1000, 2000, 4000, 10000]);
});

test('jitter keeps each delay between half and all of its ceiling', () => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const ceiling = Math.min(10000, 500 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, { random: () => 0 }), ceiling / 2);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(attempt);
      assert.ok(d >= ceiling / 2 && d <= ceiling, `${d} within [${ceiling / 2}, ${ceiling}]`);
    }
  }
});

test('options change base, factor and cap', () => {
  assert.equal(backoffDelay(2, { initial: 100, factor: 3, max: 10_000, random: () => 1 }), 900);
  assert.equal(backoffDelay(9, { initial: 100, factor: 3, max: 2000, random: () => 1 }), 2000);
});
