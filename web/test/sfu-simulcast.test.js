import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulcastEncodingsFor, SIMULCAST_ENCODINGS } from '../sdk/sfu-session.js';

const rids = (w, h) => simulcastEncodingsFor(w, h).map((e) => `${e.rid}/${e.scaleResolutionDownBy}`);

test('simulcastEncodingsFor asks for as many layers as libwebrtc sends for the capture size, keeping the top ones', () => {
  assert.deepEqual(rids(1280, 720), ['q/4', 'h/2', 'f/1']);
  assert.deepEqual(rids(960, 540), ['q/4', 'h/2', 'f/1']);
  assert.deepEqual(rids(640, 480), ['h/2', 'f/1']); // libwebrtc sends two layers here: f must be one
  assert.deepEqual(rids(480, 640), ['h/2', 'f/1']); // portrait counts the same pixels
  assert.deepEqual(rids(640, 360), ['h/2', 'f/1']);
  assert.deepEqual(rids(320, 240), ['f/1']);
  assert.deepEqual(rids(0, 0), ['q/4', 'h/2', 'f/1']); // size unknown: all three
});

test('simulcastEncodingsFor returns copies the caller may change', () => {
  simulcastEncodingsFor(640, 480)[0].maxBitrate = 1;
  assert.equal(SIMULCAST_ENCODINGS[1].maxBitrate, 500_000);
});
