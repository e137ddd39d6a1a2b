import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient, SignalingError, defaultSignalingUrl } from '../sdk/signaling.js';
import { FakeWebSocket, tick, until } from './fake-websocket.js';

const fastBackoff = { initial: 10, max: 40 };
const newClient = (options = {}) =>
  new SignalingClient('ws://test/ws', { WebSocket: FakeWebSocket, backoff: fastBackoff, requestTimeout: 500, ...options });

async function joinedClient(options, welcome = {}) {
  const client = newClient(options);
  const connected = client.connect();
  await tick();
  FakeWebSocket.last.welcome(welcome);
  await connected;
  const joining = client.join({ name: 'Ann' });
  await tick();
  const join = FakeWebSocket.last.lastSent('join');
  FakeWebSocket.last.receive({
    type: 'response', id: join.id,
    result: { room: 'r1', peerId: 'p1', name: 'Ann', resumeToken: 'tok', peers: [{ id: 'p2', name: 'Bob' }], iceServers: [{ urls: ['stun:x'] }] },
  });
  await joining;
  return client;
}

beforeEach(() => FakeWebSocket.reset());

test('default URL follows the page scheme and host', () => {
  assert.equal(defaultSignalingUrl({ protocol: 'https:', host: 'a.example:8443' }), 'wss://a.example:8443/ws');
  assert.equal(defaultSignalingUrl({ protocol: 'http:', host: 'localhost:8080' }), 'ws://localhost:8080/ws');
});

test('join resolves with the response matching its id and remembers the session', async () => {
  const client = await joinedClient();
  assert.equal(client.peerId, 'p1');
  assert.equal(client.room, 'r1');
  assert.deepEqual(client.iceServers, [{ urls: ['stun:x'] }]);
  assert.equal(client.peers.get('p2').name, 'Bob');
  assert.equal(client.state, 'open');
  client.close();
});

test('an error answer rejects the request with its code', async () => {
  const client = await joinedClient();
  const pending = client.request('offer', { to: 'ghost', sdp: 'v=0' });
  const sent = FakeWebSocket.last.lastSent('offer');
  FakeWebSocket.last.receive({ type: 'error', id: sent.id, code: 'unknown-peer', message: 'no such peer', request: 'offer' });
  await assert.rejects(pending, (e) => e instanceof SignalingError && e.code === 'unknown-peer' && e.request === 'offer');
  client.close();
});

test('a request with no answer times out', async () => {
  const client = await joinedClient({ requestTimeout: 30 });
  await assert.rejects(client.request('leave'), (e) => e.code === 'timeout');
  client.close();
});

test('relayed messages become events and update the peer list', async () => {
  const client = await joinedClient();
  const seen = [];
  client.on('offer', (m) => seen.push(m.sdp));
  client.on('peer-joined', (m) => seen.push(m.peer.name));
  FakeWebSocket.last.receive({ type: 'peer-joined', peer: { id: 'p3', name: 'Cy' }, seq: 1 });
  FakeWebSocket.last.receive({ type: 'offer', from: 'p2', sdp: 'v=0', seq: 2 });
  FakeWebSocket.last.receive({ type: 'peer-left', peerId: 'p2', reason: 'left', seq: 3 });
  assert.deepEqual(seen, ['Cy', 'v=0']);
  assert.deepEqual([...client.peers.keys()], ['p3']);
  assert.equal(client.lastSeq, 3);
  client.close();
});

test('server pings are answered with a pong that acknowledges the last seq', async () => {
  const client = await joinedClient();
  FakeWebSocket.last.receive({ type: 'message', from: 'p2', data: 1, seq: 7 });
  FakeWebSocket.last.receive({ type: 'ping', t: 99 });
  assert.deepEqual(FakeWebSocket.last.lastSent('pong'), { type: 'pong', t: 99, ack: 7 });
  client.close();
});

test('the client pings on its own heartbeat interval', async () => {
  const client = await joinedClient();
  await until(() => FakeWebSocket.last.lastSent('ping'));
  client.close();
});

test('a dropped socket reconnects, resumes with token and lastSeq, and flushes queued relays', async () => {
  const client = await joinedClient();
  const states = [];
  client.on('statechange', ({ state }) => states.push(state));
  FakeWebSocket.last.receive({ type: 'message', from: 'p2', data: 'a', seq: 4 });
  const first = FakeWebSocket.last;
  first.drop();
  assert.equal(client.state, 'reconnecting');
  client.sendTo('p2', 'message', { data: 'queued while away' });
  await until(() => FakeWebSocket.instances.length === 2);
  const second = FakeWebSocket.last;
  await tick();
  second.welcome();
  await until(() => second.lastSent('resume'));
  const resume = second.lastSent('resume');
  assert.equal(resume.token, 'tok');
  assert.equal(resume.lastSeq, 4);
  assert.equal(second.lastSent('message'), undefined, 'relays wait until the session is back');
  const resumed = new Promise((r) => client.on('resumed', r));
  second.receive({ type: 'response', id: resume.id, result: { room: 'r1', peerId: 'p1', name: 'Ann', resumeToken: 'tok', peers: [{ id: 'p2', name: 'Bob' }] } });
  await resumed;
  assert.equal(client.peerId, 'p1');
  assert.deepEqual(second.lastSent('message'), { type: 'message', data: 'queued while away', to: 'p2' });
  assert.deepEqual(states, ['reconnecting', 'open']);
  second.receive({ type: 'message', from: 'p2', data: 'a', seq: 4 });
  second.receive({ type: 'message', from: 'p2', data: 'b', seq: 5 });
  client.close();
});

test('replayed events already seen are ignored', async () => {
  const client = await joinedClient();
  const data = [];
  client.on('message', (m) => data.push(m.data));
  for (const seq of [1, 2, 2, 1, 3]) FakeWebSocket.last.receive({ type: 'message', from: 'p2', data: seq, seq });
  assert.deepEqual(data, [1, 2, 3]);
  client.close();
});

test('when the session cannot be resumed the client joins the same room again', async () => {
  const client = await joinedClient();
  const lost = new Promise((r) => client.on('session-lost', r));
  const rejoined = new Promise((r) => client.on('rejoined', r));
  FakeWebSocket.last.drop();
  await until(() => FakeWebSocket.instances.length === 2);
  const socket = FakeWebSocket.last;
  await tick();
  socket.welcome();
  await until(() => socket.lastSent('resume'));
  socket.receive({ type: 'error', id: socket.lastSent('resume').id, code: 'resume-failed', message: 'expired' });
  await lost;
  await until(() => socket.lastSent('join'));
  const join = socket.lastSent('join');
  assert.equal(join.room, 'r1');
  assert.equal(join.name, 'Ann');
  socket.receive({ type: 'response', id: join.id, result: { room: 'r1', peerId: 'p9', name: 'Ann', resumeToken: 'tok2', peers: [] } });
  await rejoined;
  assert.equal(client.peerId, 'p9');
  client.close();
});

test('a silent socket is declared dead by the watchdog and replaced', async () => {
  const client = await joinedClient();
  const first = FakeWebSocket.last;
  await until(() => FakeWebSocket.instances.length === 2, 2000);
  assert.notEqual(FakeWebSocket.last, first);
  assert.equal(client.state, 'reconnecting');
  client.close();
});

test('reconnect attempts back off exponentially up to the maximum while the server is unreachable', async () => {
  // random() = 1 takes the top of each jitter window: initial · 2^attempt, capped at max
  const client = await joinedClient({ backoff: { initial: 5, max: 40, random: () => 1 } });
  const delays = [];
  client.addEventListener('retry', (e) => delays.push([e.detail.attempt, e.detail.delay]));
  FakeWebSocket.last.drop();
  for (let i = 0; i < 4; i++) {
    const count = FakeWebSocket.instances.length;
    await until(() => FakeWebSocket.instances.length === count + 1);
    FakeWebSocket.last.drop();
  }
  assert.deepEqual(delays, [[0, 5], [1, 10], [2, 20], [3, 40], [4, 40]]);
  assert.equal(client.state, 'reconnecting');
  client.close();
  assert.equal(client.state, 'closed');
});

test('reconnect delays are jittered within the lower half of each window', async () => {
  const client = await joinedClient({ backoff: { initial: 8, max: 64, random: () => 0 } });
  const delays = [];
  client.addEventListener('retry', (e) => delays.push(e.detail.delay));
  FakeWebSocket.last.drop();
  for (let i = 0; i < 2; i++) {
    const count = FakeWebSocket.instances.length;
    await until(() => FakeWebSocket.instances.length === count + 1);
    FakeWebSocket.last.drop();
  }
  assert.deepEqual(delays, [4, 8, 16], 'random() = 0 gives half of each window');
  client.close();
});

test('events are acknowledged in an ack message after 32 of them, before the next heartbeat', async () => {
  const client = await joinedClient({}, { heartbeatInterval: 60_000, heartbeatTimeout: 120_000 });
  const socket = FakeWebSocket.last;
  for (let seq = 1; seq <= 32; seq++) socket.receive({ type: 'message', from: 'p2', data: seq, seq });
  assert.deepEqual(socket.lastSent('ack'), { type: 'ack', ack: 32 });
  client.close();
});

test('a few events are acknowledged shortly after they arrive', async () => {
  const client = await joinedClient({}, { heartbeatInterval: 60_000, heartbeatTimeout: 120_000 });
  const socket = FakeWebSocket.last;
  socket.receive({ type: 'message', from: 'p2', data: 'hi', seq: 1 });
  socket.receive({ type: 'message', from: 'p2', data: 'again', seq: 2 });
  assert.equal(socket.lastSent('ack'), undefined, 'not one ack per event');
  await until(() => socket.lastSent('ack') !== undefined);
  assert.deepEqual(socket.lastSent('ack'), { type: 'ack', ack: 2 });
  assert.equal(socket.sent.filter((m) => m.type === 'ack').length, 1);
  client.close();
});

test('a socket that never says welcome is abandoned and another attempt follows', async () => {
  const client = newClient({ connectTimeout: 30 });
  client.connect().catch(() => {});
  await tick();
  const first = FakeWebSocket.last;
  await until(() => FakeWebSocket.instances.length === 2);
  assert.notEqual(FakeWebSocket.last, first);
  assert.equal(first.readyState, 3, 'the silent socket was closed');
  client.close();
});

test('pending requests fail with "disconnected" when the socket drops', async () => {
  const client = await joinedClient();
  const pending = client.request('leave');
  FakeWebSocket.last.drop();
  await assert.rejects(pending, (e) => e.code === 'disconnected');
  client.close();
});

test('server errors without an id surface as server-error events', async () => {
  const client = await joinedClient();
  const errors = [];
  client.on('server-error', (e) => errors.push(e.code));
  FakeWebSocket.last.receive({ type: 'error', code: 'rate-limited', message: 'slow down' });
  assert.deepEqual(errors, ['rate-limited']);
  client.close();
});

test('a resume that gets no answer starts over on a fresh socket instead of hanging', async () => {
  const client = await joinedClient({ requestTimeout: 50 });
  FakeWebSocket.last.drop();
  await until(() => FakeWebSocket.instances.length === 2);
  const second = FakeWebSocket.last;
  await tick();
  second.welcome();
  await until(() => second.lastSent('resume'));
  await until(() => FakeWebSocket.instances.length === 3, 3000);
  assert.equal(client.state, 'reconnecting');
  client.close();
});

test('relays queued for a lost session are dropped, not sent to stale peer ids', async () => {
  const client = await joinedClient();
  FakeWebSocket.last.drop();
  client.sendTo('p2', 'candidate', { candidate: null });
  await until(() => FakeWebSocket.instances.length === 2);
  const socket = FakeWebSocket.last;
  await tick();
  socket.welcome();
  await until(() => socket.lastSent('resume'));
  socket.receive({ type: 'error', id: socket.lastSent('resume').id, code: 'resume-failed', message: 'expired' });
  await until(() => socket.lastSent('join'));
  assert.equal(socket.lastSent('candidate'), undefined);
  client.close();
});

test('connect() rejects with unreachable when no server answers, and close() rejects it too', async () => {
  const client = newClient({ connectTimeout: 30 });
  await assert.rejects(client.connect(), (e) => e.code === 'unreachable');
  const other = newClient();
  const pending = other.connect();
  other.close();
  await assert.rejects(pending, (e) => e.code === 'closed');
  client.close();
});

test('a redirect answer to join moves the client to the named node and joins there (cluster mode)', async () => {
  const client = newClient();
  const connected = client.connect();
  await tick();
  const first = FakeWebSocket.last;
  first.welcome();
  await connected;
  const joining = client.join({ room: 'group', name: 'Ann' });
  await tick();
  first.receive({ type: 'error', id: first.lastSent('join').id, code: 'redirect', message: 'served by node 2', url: 'https://node2.example:8443' });
  await until(() => FakeWebSocket.last !== first);
  const second = FakeWebSocket.last;
  assert.equal(second.url, 'wss://node2.example:8443/ws');
  assert.equal(first.readyState, 3, 'the first node\'s socket is closed');
  second.welcome();
  await until(() => second.lastSent('join'));
  assert.equal(second.lastSent('join').room, 'group');
  second.receive({ type: 'response', id: second.lastSent('join').id,
    result: { room: 'group', peerId: 'p9', name: 'Ann', resumeToken: 't9', peers: [], iceServers: [] } });
  const result = await joining;
  assert.equal(result.peerId, 'p9');
  assert.equal(client.state, 'open');
  assert.equal(client.url, 'wss://node2.example:8443/ws');
  client.close();
});
