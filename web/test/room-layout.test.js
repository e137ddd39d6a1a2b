import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTiles, gridColumns, constraintsFor, MAX_TILES } from '../apps/room/layout.js';

test('at most 16 tiles; the rest are audio-only, in join order', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
  const { tiles, audioOnly } = chooseTiles(ids);
  assert.equal(tiles.length, MAX_TILES);
  assert.deepEqual(audioOnly, ['p16', 'p17', 'p18', 'p19']);
});

test('pinned, screen sharers and recent speakers win a tile over late joiners', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const { tiles, audioOnly } = chooseTiles(ids, { pinned: 'e', sharing: new Set(['d']), speakerOrder: ['c'], max: 3 });
  assert.deepEqual(tiles, ['c', 'd', 'e'], 'tiles stay in join order on screen');
  assert.deepEqual(audioOnly, ['a', 'b']);
});

test('grid columns stay near square', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9, 10, 16].map(gridColumns), [1, 2, 2, 2, 3, 3, 4, 4]);
});

test('constraints round tile heights up to layer sizes and stop hidden videos', () => {
  const body = constraintsFor(new Map([['a-1', 170], ['b-1', 500], ['c-1', 0]]), ['b']);
  assert.deepEqual(body, { maxHeight: { 'a-1': 180, 'b-1': 720, 'c-1': 0 }, defaultMaxHeight: 0, onStage: ['b'], lastN: 2 });
});
