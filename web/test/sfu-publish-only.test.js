import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SfuSession } from '../sdk/sfu-session.js';
import { FakeWebSocket, tick, connectedClient, joinAnswered } from './fake-websocket.js';

beforeEach(() => FakeWebSocket.reset());

test('a publish-only SfuSession (token with canSubscribe false) starts without sfu-join, which the server would refuse', async () => {
  const { client, socket: ws } = await connectedClient('ws://node1/ws');
  await joinAnswered(client, ws, { room: 'group', token: 't' },
    { room: 'group', peerId: 'p1', name: 'Ann', resumeToken: 'r', peers: [], iceServers: [], canSubscribe: false });

  const session = await new SfuSession(client, { subscribe: false }).start();
  await tick(10);
  assert.equal(ws.lastSent('sfu-join'), undefined, 'no sfu-join sent');
  assert.equal(session.subscribePc, null);
  session.close();
  client.close();
});
