import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_STATES, canMove, stateForSession, formatDuration, parseCallOptions, describeReason, describeSessionStep } from '../apps/call/call-state.js';

test('every state can be left, and the ended state only towards a new start', () => {
  for (const state of Object.keys(CALL_STATES)) {
    assert.ok(Object.keys(CALL_STATES).some((to) => canMove(state, to)), `${state} is not a dead end`);
  }
  assert.ok(canMove('ended', 'preview'));
  assert.ok(!canMove('ended', 'connected'));
  assert.ok(canMove('connected', 'reconnecting') && canMove('reconnecting', 'connected'));
  assert.ok(canMove('reconnecting', 'failed') && canMove('failed', 'reconnecting'));
  assert.ok(!canMove('preview', 'connected'));
});

test('session states map to call states; closed is the controller\'s call', () => {
  assert.equal(stateForSession('connecting'), 'connecting');
  assert.equal(stateForSession('reconnecting'), 'reconnecting');
  assert.equal(stateForSession('failed'), 'failed');
  assert.equal(stateForSession('closed'), null);
});

test('durations read like a clock', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65_400), '1:05');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(formatDuration(-5), '0:00');
});

test('query options: room ids are validated, caps and timers parsed, junk ignored', () => {
  const o = parseCallOptions('?room=abc_DEF-1&name=%20Ann%20&maxVideoKbps=800&relay=1&dtx=0&iceGrace=500');
  assert.equal(o.room, 'abc_DEF-1');
  assert.equal(o.name, 'Ann');
  assert.equal(o.maxVideoKbps, 800);
  assert.equal(o.maxAudioKbps, 64);
  assert.equal(o.videoStartKbps, 800);
  assert.equal(parseCallOptions('?videoStartKbps=0').videoStartKbps, null);
  assert.equal(o.relayOnly, true);
  assert.equal(o.dtx, false);
  assert.deepEqual(o.session, { disconnectGrace: 500 });
  const bad = parseCallOptions('?room=../etc&maxVideoKbps=-3');
  assert.equal(bad.room, null);
  assert.equal(bad.maxVideoKbps, 1500);
  assert.deepEqual(bad.session, {});
  assert.equal(parseCallOptions('?e2eeApi=encoded-streams').e2eeApi, 'encoded-streams');
  assert.equal(parseCallOptions('?e2eeApi=rot13').e2eeApi, null);
});

test('reasons on screen say what is being tried without protocol words', () => {
  assert.equal(describeSessionStep({ step: 'ice-restart', attempt: 2, maxAttempts: 3 }), 'Looking for a working network path (try 2 of 3)');
  assert.match(describeSessionStep({ step: 'rebuild' }), /new connection/);
  assert.doesNotMatch(describeSessionStep({ step: 'gave-up' }), /ICE/);
  assert.equal(describeSessionStep({ step: 'connected' }), '');
  assert.equal(describeReason('nobody else is in this call yet'), 'Nobody else is in this call yet');
  assert.equal(describeReason(null), '');
});
