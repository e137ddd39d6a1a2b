import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P2PSession, isPolite } from '../sdk/p2p-session.js';

/** Just enough RTCPeerConnection for the session's recovery logic; tests drive its states. */
class FakePeerConnection {
  static all = [];
  constructor(config) {
    this.config = config;
    this.iceConnectionState = 'new';
    this.connectionState = 'new';
    this.signalingState = 'stable';
    this.localDescription = null;
    this.restarts = 0;
    this.closed = false;
    this.transceivers = [];
    this.sctp = null;
    FakePeerConnection.all.push(this);
  }
  getTransceivers() { return this.transceivers; }
  addTrack() { this.transceivers.push({}); queueMicrotask(() => this.onnegotiationneeded?.()); }
  createDataChannel() { this.sctp = {}; queueMicrotask(() => this.onnegotiationneeded?.()); }
  restartIce() { this.restarts += 1; queueMicrotask(() => this.onnegotiationneeded?.()); }
  async setLocalDescription() {
    this.localDescription = { type: this.signalingState === 'have-remote-offer' ? 'answer' : 'offer', sdp: 'v=0 fake' };
    this.signalingState = this.localDescription.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d) { this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable'; }
  async addIceCandidate() {}
  close() { this.closed = true; }
  set(ice, conn = ice) {
    this.iceConnectionState = ice;
    this.connectionState = conn;
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }
}
globalThis.RTCPeerConnection = FakePeerConnection;

function fakeSignaling() {
  const target = new EventTarget();
  const sent = [];
  return {
    peerId: 'a', iceServers: [], sent,
    on(type, fn) { const w = (e) => fn(e.detail); target.addEventListener(type, w); return () => target.removeEventListener(type, w); },
    sendTo(to, type, body) { sent.push({ to, type, ...body }); },
    deliver(type, body) { target.dispatchEvent(new CustomEvent(type, { detail: { from: 'b', label: 'main', ...body } })); },
  };
}

const FAST = { disconnectGrace: 10, restartTimeout: 40, backoff: { initial: 2, max: 4 } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (condition, what) => {
  for (let i = 0; i < 200; i++) { if (condition()) return; await sleep(5); }
  assert.fail(`never: ${what}`);
};

test('exactly one side of a pair is polite', () => {
  assert.notEqual(isPolite('a', 'b'), isPolite('b', 'a'));
});

test('a failure reported by both state handlers costs one ICE restart, not two', async () => {
  const sig = fakeSignaling();
  const session = new P2PSession(sig, 'b', { ...FAST, restartTimeout: 10_000, setup: (pc) => pc.addTrack() }).start();
  const pc = session.pc;
  pc.set('connected');
  assert.equal(session.state, 'connected');
  pc.set('disconnected', 'failed'); // Chrome: connectionState failed while ICE says disconnected
  pc.set('failed', 'failed');
  assert.equal(pc.restarts, 1);
  assert.equal(session.attempt, 1);
  assert.equal(session.state, 'reconnecting');
  pc.set('connected');
  assert.equal(session.state, 'connected');
  assert.equal(session.attempt, 0);
  session.close();
});

test('disconnected waits for the grace period, then restarts ICE; coming back in time cancels it', async () => {
  const sig = fakeSignaling();
  const session = new P2PSession(sig, 'b', { ...FAST, disconnectGrace: 30, setup: (pc) => pc.addTrack() }).start();
  const pc = session.pc;
  pc.set('connected');
  pc.set('disconnected', 'connecting');
  assert.equal(session.state, 'reconnecting');
  pc.set('connected');
  await sleep(60);
  assert.equal(pc.restarts, 0, 'no restart after a blip');
  pc.set('disconnected', 'connecting');
  await until(() => pc.restarts === 1, 'ICE restart after the grace period');
  assert.match(session.reason, /restarting ICE \(try 1 of 2\): still disconnected/);
  session.close();
});

test('when ICE restarts do not help, a new connection of the next generation is offered; then it gives up', async () => {
  const sig = fakeSignaling();
  const states = [];
  const session = new P2PSession(sig, 'b', { ...FAST, maxIceRestarts: 1, maxConnections: 2, setup: (pc) => pc.addTrack() });
  session.addEventListener('statechange', (e) => states.push(e.detail));
  session.start();
  const first = session.pc;
  first.set('connected');
  first.set('failed');
  await until(() => session.generation === 2, 'a second connection');
  assert.ok(first.closed, 'the broken connection is closed');
  await until(() => sig.sent.some((m) => m.type === 'offer' && m.generation === 2), 'an offer for generation 2');
  assert.ok(states.some((s) => s.step === 'rebuild' && /building a new connection/.test(s.reason)));
  // The new connection never comes up either: with maxConnections reached the session fails with a reason.
  await until(() => session.state === 'failed', 'failed state');
  assert.match(states.at(-1).reason, /could not reconnect/);
  assert.equal(states.at(-1).step, 'gave-up');
  session.restart(); // the retry button
  await until(() => session.generation === 3, 'retry builds again');
  session.close();
});

test('the peer following to a newer generation rebuilds too; stale answers are ignored', async () => {
  const sig = fakeSignaling();
  const session = new P2PSession(sig, 'b', { ...FAST, restartTimeout: 10_000, setup: (pc) => pc.addTrack() }).start();
  const first = session.pc;
  sig.deliver('offer', { sdp: 'v=0 remote', generation: 3 });
  await until(() => session.generation === 3, 'adopted generation 3');
  assert.ok(first.closed);
  await until(() => sig.sent.some((m) => m.type === 'answer' && m.generation === 3), 'answer in generation 3');
  const before = session.pc.signalingState;
  sig.deliver('answer', { sdp: 'v=0 old', generation: 1 });
  await sleep(5);
  assert.equal(session.pc.signalingState, before);
  session.close();
});

test('sdpTransform rewrites what is sent, not the local description', async () => {
  const sig = fakeSignaling();
  const session = new P2PSession(sig, 'b', { ...FAST, restartTimeout: 10_000, setup: (pc) => pc.addTrack(),
    sdpTransform: (sdp, type) => `${sdp} munged-${type}` }).start();
  await until(() => sig.sent.some((m) => m.type === 'offer'), 'an offer');
  assert.equal(sig.sent.find((m) => m.type === 'offer').sdp, 'v=0 fake munged-offer');
  assert.equal(session.pc.localDescription.sdp, 'v=0 fake');
  session.close();
});
