import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient } from '../sdk/signaling.js';
import { SfuSession } from '../sdk/sfu-session.js';
import { FakeWebSocket, tick, until } from './fake-websocket.js';

beforeEach(() => FakeWebSocket.reset());

const result = (peerId) => ({ room: 'group', peerId, name: 'Ann', resumeToken: `t-${peerId}`, peers: [], iceServers: [] });

test('SfuSession.start moves the client to the node named by a redirected sfu-join and asks there (cluster mode)', async () => {
  const client = new SignalingClient('ws://node1/ws', { WebSocket: FakeWebSocket, requestTimeout: 1000 });
  const connected = client.connect();
  await tick();
  const node1 = FakeWebSocket.last;
  node1.welcome();
  await connected;
  const joining = client.join({ room: 'group', name: 'Ann' });
  await tick();
  node1.receive({ type: 'response', id: node1.lastSent('join').id, result: result('p1') });
  await joining;

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
