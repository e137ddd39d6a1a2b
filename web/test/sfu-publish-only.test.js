import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient } from '../sdk/signaling.js';
import { SfuSession } from '../sdk/sfu-session.js';
import { FakeWebSocket, tick } from './fake-websocket.js';

beforeEach(() => FakeWebSocket.reset());

test('a publish-only SfuSession (token with canSubscribe false) starts without sfu-join, which the server would refuse', async () => {
  const client = new SignalingClient('ws://node1/ws', { WebSocket: FakeWebSocket, requestTimeout: 1000 });
  const connected = client.connect();
  await tick();
  const ws = FakeWebSocket.last;
  ws.welcome();
  await connected;
  const joining = client.join({ room: 'group', token: 't' });
  await tick();
  ws.receive({ type: 'response', id: ws.lastSent('join').id,
    result: { room: 'group', peerId: 'p1', name: 'Ann', resumeToken: 'r', peers: [], iceServers: [], canSubscribe: false } });
  await joining;

  const session = await new SfuSession(client, { subscribe: false }).start();
  await tick(10);
  assert.equal(ws.lastSent('sfu-join'), undefined, 'no sfu-join sent');
  assert.equal(session.subscribePc, null);
  session.close();
  client.close();
});
