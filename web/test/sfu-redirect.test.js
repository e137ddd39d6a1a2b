import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { signalingUrlOf, redirectTarget } from '../sdk/signaling.js';
import { SfuSession } from '../sdk/sfu-session.js';
import { FakeWebSocket, tick, until, connectedClient, joinAnswered } from './fake-websocket.js';

beforeEach(() => FakeWebSocket.reset());

const result = (peerId) => ({ room: 'group', peerId, name: 'Ann', resumeToken: `t-${peerId}`, peers: [], iceServers: [] });

test('SfuSession.start moves the client to the node named by a redirected sfu-join and asks there (cluster mode)', async () => {
  const { client, socket: node1 } = await connectedClient('ws://node1/ws');
  await joinAnswered(client, node1, { room: 'group', name: 'Ann' }, result('p1'));

  const session = new SfuSession(client);
  const started = session.start();
  await until(() => node1.lastSent('sfu-join'));
  node1.receive({ type: 'error', id: node1.lastSent('sfu-join').id, code: 'redirect', url: 'http://node2:8080', message: 'elsewhere' });
  await until(() => node1.lastSent('leave'));
  node1.receive({ type: 'response', id: node1.lastSent('leave').id, result: {} });
  await until(() => FakeWebSocket.last !== node1);
  const node2 = FakeWebSocket.last;
  assert.equal(node2.url, 'ws://node2:8080/ws');
  node2.welcome();
  await until(() => node2.lastSent('join'));
  assert.equal(node2.lastSent('join').room, 'group', 'the same room, on the node that holds its media');
  node2.receive({ type: 'response', id: node2.lastSent('join').id, result: result('p2') });
  await until(() => node2.lastSent('sfu-join'));
  node2.receive({ type: 'response', id: node2.lastSent('sfu-join').id, result: {} });
  await started;
  assert.equal(client.peerId, 'p2');
  session.close();
  client.close();
});

test('signalingUrlOf turns http(s) base URLs into socket URLs and refuses every other scheme', () => {
  assert.equal(signalingUrlOf('http://node2:8080'), 'ws://node2:8080/ws');
  assert.equal(signalingUrlOf('https://node2.example.org:8443/'), 'wss://node2.example.org:8443/ws');
  assert.equal(signalingUrlOf('https://example.org/parley//'), 'wss://example.org/parley/ws');
  for (const bad of ['javascript:alert(1)', 'ftp://node2', 'ws://node2:8080', 'data:text/plain,x', 'node2:8080', '', 'http//x']) {
    assert.equal(signalingUrlOf(bad), null, bad);
  }
});

test('redirectTarget never moves from a secure page or socket to an insecure one', () => {
  const plainPage = { protocol: 'http:' };
  const securePage = { protocol: 'https:' };
  assert.equal(redirectTarget('http://node2:8080', 'ws://node1/ws', plainPage), 'ws://node2:8080/ws');
  assert.equal(redirectTarget('https://node2:8443', 'ws://node1/ws', plainPage), 'wss://node2:8443/ws', 'upgrading is fine');
  assert.equal(redirectTarget('https://node2:8443', 'wss://node1/ws', securePage), 'wss://node2:8443/ws');
  assert.equal(redirectTarget('http://node2:8080', 'wss://node1/ws', plainPage), null, 'from a wss socket');
  assert.equal(redirectTarget('http://node2:8080', 'ws://node1/ws', securePage), null, 'from an https page (mixed content)');
  assert.equal(redirectTarget('javascript:alert(1)', 'ws://node1/ws', plainPage), null);
  assert.equal(redirectTarget('http://node2:8080', 'ws://node1/ws', undefined), 'ws://node2:8080/ws', 'outside a browser');
});

test('a join redirected from a wss socket to an http node is refused, not followed', async () => {
  const { client, socket } = await connectedClient('wss://node1/ws');
  const joining = client.join({ room: 'group', name: 'Ann' });
  await until(() => socket.lastSent('join'));
  socket.receive({ type: 'error', id: socket.lastSent('join').id, code: 'redirect', url: 'http://node2:8080', message: 'elsewhere' });
  await assert.rejects(joining, (error) => error.code === 'redirect' && error.url === 'http://node2:8080');
  assert.equal(FakeWebSocket.last, socket, 'no socket opened to the insecure node');
  assert.equal(client.url, 'wss://node1/ws');
  client.close();
});

test('a join redirected to a non-http URL is refused, not followed', async () => {
  const { client, socket } = await connectedClient('ws://node1/ws');
  const joining = client.join({ room: 'group', name: 'Ann' });
  await until(() => socket.lastSent('join'));
  socket.receive({ type: 'error', id: socket.lastSent('join').id, code: 'redirect', url: 'javascript:alert(1)', message: 'elsewhere' });
  await assert.rejects(joining, (error) => error.code === 'redirect');
  assert.equal(FakeWebSocket.last, socket);
  client.close();
});

test('moveTo an insecure node from a wss socket refuses before leaving the room', async () => {
  const { client, socket } = await connectedClient('wss://node1/ws');
  const joining = client.join({ room: 'group', name: 'Ann' });
  await until(() => socket.lastSent('join'));
  socket.receive({ type: 'response', id: socket.lastSent('join').id, result: result('p1') });
  await joining;
  await assert.rejects(client.moveTo('http://node2:8080'), (error) => error.code === 'redirect');
  assert.equal(socket.lastSent('leave'), undefined, 'still in the room');
  assert.equal(client.peerId, 'p1');
  assert.equal(FakeWebSocket.last, socket);
  client.close();
});
