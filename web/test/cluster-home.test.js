import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient } from '../sdk/signaling.js';
import { SfuSession } from '../sdk/sfu-session.js';
import { FakeWebSocket, tick, until, connectedClient, joinAnswered } from './fake-websocket.js';

// Cluster mode: a client redirected to the node that holds its room's media goes back to its own
// URL (the load balancer or home node) when that node is gone, and joins the room again there.

beforeEach(() => FakeWebSocket.reset());

const HOME = 'ws://lb/ws';
const NODE_A = 'ws://node-a:8080/ws';
const result = (peerId) => ({ room: 'group', peerId, name: 'Ann', resumeToken: `t-${peerId}`, peers: [], iceServers: [] });
const fast = { WebSocket: FakeWebSocket, requestTimeout: 1000, backoff: { initial: 2, max: 4 }, homeAfter: 3 };

/** A client joined at home, then moved by a redirected sfu-join to node A, joined there as p2. */
async function movedToNodeA() {
  const { client, socket: home } = await connectedClient(HOME, fast);
  await joinAnswered(client, home, { room: 'group', name: 'Ann' }, result('p1'));
  const session = new SfuSession(client);
  const started = session.start();
  await until(() => home.lastSent('sfu-join'));
  home.receive({ type: 'error', id: home.lastSent('sfu-join').id, code: 'redirect', url: 'http://node-a:8080', message: 'elsewhere' });
  await until(() => home.lastSent('leave'));
  home.receive({ type: 'response', id: home.lastSent('leave').id, result: {} });
  await until(() => FakeWebSocket.last.url === NODE_A);
  const nodeA = FakeWebSocket.last;
  nodeA.welcome();
  await until(() => nodeA.lastSent('join'));
  nodeA.receive({ type: 'response', id: nodeA.lastSent('join').id, result: result('p2') });
  await until(() => nodeA.lastSent('sfu-join'));
  nodeA.receive({ type: 'response', id: nodeA.lastSent('sfu-join').id, result: {} });
  await started;
  session.close();
  return { client, nodeA };
}

test('a client whose room node dies goes back to its home URL after homeAfter refused attempts and joins again', async () => {
  const { client, nodeA } = await movedToNodeA();
  assert.equal(client.url, NODE_A);
  assert.equal(client.homeUrl, HOME);
  const lost = [];
  const rejoined = [];
  client.on('session-lost', (e) => lost.push(e.reason));
  client.on('rejoined', (r) => rejoined.push(r.peerId));

  FakeWebSocket.refused.add(NODE_A); // node A is stopped: connection refused from now on
  const before = FakeWebSocket.instances.length;
  nodeA.drop();
  await until(() => FakeWebSocket.last.url === HOME);
  const attemptsAtA = FakeWebSocket.instances.slice(before).filter((s) => s.url === NODE_A).length;
  assert.equal(attemptsAtA, 3, 'homeAfter reconnect attempts to the dead node, then home');
  assert.equal(lost.length, 1);

  const home = FakeWebSocket.last;
  home.welcome();
  await until(() => home.lastSent('join'));
  assert.equal(home.lastSent('resume'), undefined, 'the session on the dead node is not resumed at home');
  assert.equal(home.lastSent('join').room, 'group', 'the same room');
  home.receive({ type: 'response', id: home.lastSent('join').id, result: result('p3') });
  await until(() => rejoined.length === 1);
  assert.deepEqual(rejoined, ['p3']);
  assert.equal(client.state, 'open');
  assert.equal(client.url, HOME);
  client.close();
});

test('a client whose resume on the room node fails joins again from home, not on that node', async () => {
  const { client, nodeA } = await movedToNodeA();
  const rejoined = [];
  client.on('rejoined', (r) => rejoined.push(r.peerId));
  nodeA.drop();
  await until(() => FakeWebSocket.last !== nodeA);
  const again = FakeWebSocket.last;
  assert.equal(again.url, NODE_A, 'a single loss is retried at the same node first');
  again.welcome();
  await until(() => again.lastSent('resume'));
  again.receive({ type: 'error', id: again.lastSent('resume').id, code: 'resume-failed', message: 'unknown session' });
  await until(() => FakeWebSocket.last.url === HOME);
  assert.equal(again.lastSent('join'), undefined, 'no join on the node that lost the session');
  const home = FakeWebSocket.last;
  home.welcome();
  await until(() => home.lastSent('join'));
  home.receive({ type: 'response', id: home.lastSent('join').id, result: result('p3') });
  await until(() => rejoined.length === 1);
  assert.equal(client.peerId, 'p3');
  client.close();
});

test('a rejoin at home that is redirected follows the redirect to the node now serving the room', async () => {
  const { client, nodeA } = await movedToNodeA();
  const rejoined = [];
  client.on('rejoined', (r) => rejoined.push(r.peerId));
  FakeWebSocket.refused.add(NODE_A);
  nodeA.drop();
  await until(() => FakeWebSocket.last.url === HOME);
  const home = FakeWebSocket.last;
  home.welcome();
  await until(() => home.lastSent('join'));
  home.receive({ type: 'error', id: home.lastSent('join').id, code: 'redirect', url: 'http://node-c:8080', message: 'elsewhere' });
  await until(() => FakeWebSocket.last.url === 'ws://node-c:8080/ws');
  const nodeC = FakeWebSocket.last;
  nodeC.welcome();
  await until(() => nodeC.lastSent('join'));
  nodeC.receive({ type: 'response', id: nodeC.lastSent('join').id, result: result('p4') });
  await until(() => rejoined.length === 1);
  assert.equal(client.url, 'ws://node-c:8080/ws');
  assert.equal(client.homeUrl, HOME, 'home stays home');
  client.close();
});

test('a client at its home URL keeps retrying there (no home to go back to)', async () => {
  const client = new SignalingClient(HOME, fast);
  const connected = client.connect();
  await tick();
  FakeWebSocket.last.welcome();
  await connected;
  FakeWebSocket.refused.add(HOME);
  const before = FakeWebSocket.instances.length;
  FakeWebSocket.last.drop();
  await until(() => FakeWebSocket.instances.length >= before + 6);
  assert.ok(FakeWebSocket.instances.slice(before).every((s) => s.url === HOME));
  client.close();
});

test('connect() names a refused socket as refused, not as a timeout', async () => {
  FakeWebSocket.refused.add(HOME);
  const client = new SignalingClient(HOME, { ...fast, connectTimeout: 50 });
  await assert.rejects(client.connect(), (e) => e.code === 'unreachable' && /closed before it opened/.test(e.message) && !/ in 50 ms/.test(e.message));
  client.close();
  const silent = new SignalingClient('ws://silent/ws', { ...fast, connectTimeout: 30 });
  await assert.rejects(silent.connect(), (e) => e.code === 'unreachable' && /no answer from ws:\/\/silent\/ws in 30 ms/.test(e.message));
  silent.close();
});

test('a join redirected to a node that refuses the socket fails naming the refusal, not the redirect', async () => {
  const client = new SignalingClient(HOME, fast);
  FakeWebSocket.refused.add(NODE_A); // e.g. node A answers the upgrade with 403
  const joining = client.join({ room: 'group', name: 'Ann' });
  const homes = new Set();
  // home keeps redirecting to node A; the client tries A, gives up, comes home, is redirected again
  const serveHome = setInterval(() => {
    const socket = FakeWebSocket.last;
    if (!socket || socket.url !== HOME || socket.readyState !== 1) return;
    if (!homes.has(socket)) {
      homes.add(socket);
      socket.welcome();
    }
    const join = socket.lastSent('join');
    if (join && !join.answered) {
      join.answered = true;
      socket.receive({ type: 'error', id: join.id, code: 'redirect', url: 'http://node-a:8080', message: 'elsewhere' });
    }
  }, 1);
  try {
    await assert.rejects(joining, (e) => e.code === 'unreachable' && e.message.includes(NODE_A) && /refused/.test(e.message));
  } finally {
    clearInterval(serveHome);
    client.close();
  }
});
