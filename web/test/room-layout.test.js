import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTiles, gridColumns, constraintsFor, fitGrid, MAX_TILES } from '../apps/room/layout.js';
import { roomLabel, roomStatus } from '../apps/room/room-label.js';

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

test('the grid fits the box: three 4:3 tiles in 960×640 take two columns, every row inside the height', () => {
  const { columns, tileWidth } = fitGrid(3, 960, 640);
  assert.equal(columns, 2);
  assert.ok(tileWidth * 2 + 8 <= 960, 'fits the width');
  const rows = 2;
  assert.ok((tileWidth * 3) / 4 * rows + 8 * (rows - 1) <= 640, 'fits the height');
  assert.equal(tileWidth, Math.floor(((640 - 8) / 2) * 4 / 3), 'as large as the height allows');
});

test('a wide, low box puts tiles side by side; one tile fills what it can', () => {
  assert.equal(fitGrid(3, 1600, 300).columns, 3);
  assert.deepEqual(fitGrid(1, 800, 300), { columns: 1, tileWidth: 400 });
  assert.equal(fitGrid(16, 1000, 700).columns, 4);
  assert.equal(fitGrid(0, 100, 100).columns, 1, 'an empty grid still has a column');
});

test('the header names a drawn room "Call XXXX" and a named room by its name', () => {
  assert.equal(roomLabel('DyBLc9MROYmcQWZmLpYt5A'), 'Call DYBL');
  assert.equal(roomLabel('town-hall'), 'town-hall');
  assert.equal(roomLabel('7QX2Z-K4M1P'), '7QX2Z-K4M1P');
  assert.equal(roomLabel('a-very-long-room-name-indeed'), 'Call AVER');
  assert.match(roomStatus(0), /^in room/);
  assert.equal(roomStatus(1), 'in room with 1 other');
  assert.equal(roomStatus(2), 'in room with 2 others');
});
