import test from 'node:test';
import assert from 'node:assert/strict';
import { chunkSizeFor, planReads, splitChunks, FALLBACK_CHUNK, MAX_CHUNK, HIGH_WATER, LOW_WATER } from '../sdk/chunk-planner.js';

test('chunk size follows maxMessageSize, capped, with a fallback when unknown', () => {
  assert.equal(chunkSizeFor(262144), MAX_CHUNK);
  assert.equal(chunkSizeFor(65536), 65536);
  assert.equal(chunkSizeFor(1 << 30), MAX_CHUNK);
  assert.equal(chunkSizeFor(Infinity), MAX_CHUNK);
  assert.equal(chunkSizeFor(undefined), FALLBACK_CHUNK);
  assert.equal(chunkSizeFor(null), FALLBACK_CHUNK);
  assert.equal(chunkSizeFor(0), FALLBACK_CHUNK);
  assert.equal(chunkSizeFor(262144, 64 * 1024), 64 * 1024);
});

test('flow-control marks stay far below the 16 MiB send-queue limit', () => {
  assert.ok(HIGH_WATER + MAX_CHUNK < 16 * 1024 * 1024);
  assert.ok(LOW_WATER < HIGH_WATER);
});

test('reads cover the file from the offset exactly once', () => {
  for (const [size, offset, readSize] of [[0, 0, 10], [1, 0, 10], [10, 0, 10], [25, 0, 10], [25, 7, 10], [25, 25, 10], [1e9 + 3, 999_999_000, 1 << 20]]) {
    const reads = [...planReads(size, offset, readSize)];
    let next = offset;
    for (const { start, end } of reads) {
      assert.equal(start, next);
      assert.ok(end > start && end - start <= readSize);
      next = end;
    }
    assert.equal(next, Math.max(offset, size));
    if (size === offset) assert.equal(reads.length, 0);
  }
  assert.throws(() => [...planReads(10, 11)], RangeError);
  assert.throws(() => [...planReads(10, -1)], RangeError);
});

test('a read splits into chunks no bigger than the chunk size', () => {
  assert.deepEqual([...splitChunks(10, 4)], [{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }]);
  assert.deepEqual([...splitChunks(0, 4)], []);
});
