import test from 'node:test';
import assert from 'node:assert/strict';
import { tokenFromPage, describeTokenError, isTokenError } from '../sdk/join-token.js';
import { SignalingError } from '../sdk/signaling.js';

test('the token comes from the query string, else from a token= fragment', () => {
  assert.equal(tokenFromPage({ search: '?room=r&token=eyJ.a.b', hash: '' }), 'eyJ.a.b');
  assert.equal(tokenFromPage({ search: '', hash: '#token=eyJ.c.d' }), 'eyJ.c.d');
  assert.equal(tokenFromPage({ search: '?token=q', hash: '#token=h' }), 'q', 'the query wins');
  assert.equal(tokenFromPage({ search: '?room=r', hash: '#Jm0W2i6yS0vN' }), undefined, 'a room id in the fragment is no token');
  assert.equal(tokenFromPage({ search: '?token=', hash: '' }), undefined);
  assert.equal(tokenFromPage({ search: '?token=a%2Bb', hash: '' }), 'a+b', 'percent-encoding is undone');
});

test('a token in the query leaves the address bar and survives a reload of the tab', () => {
  const stored = new Map();
  const storage = { setItem: (k, v) => stored.set(k, v), getItem: (k) => stored.get(k) ?? null };
  const replaced = [];
  const history = { state: null, replaceState: (state, title, url) => replaced.push(url) };
  const page = { pathname: '/call/', search: '?room=standup&token=eyJ.a.b', hash: '#x' };
  assert.equal(tokenFromPage(page, { history, storage }), 'eyJ.a.b');
  assert.deepEqual(replaced, ['/call/?room=standup#x'], 'the token is gone from the address, the rest kept');
  const reloaded = { pathname: '/call/', search: '?room=standup', hash: '#x' };
  assert.equal(tokenFromPage(reloaded, { history, storage }), 'eyJ.a.b', 'the tab remembers it');
  assert.equal(tokenFromPage({ pathname: '/room/', search: '', hash: '' }, { history, storage }), undefined, 'per app page');
});

test('each refusal has a human sentence and no protocol words', () => {
  for (const code of ['token-required', 'token-invalid', 'token-expired', 'token-not-yet-valid', 'token-room-mismatch', 'forbidden']) {
    const text = describeTokenError(new SignalingError(code, 'the token expired at 2026-11-24T10:00:00Z', 'join'));
    assert.ok(text && text.length > 20, code);
    assert.doesNotMatch(text, /\b(token|jwt|exp|nbf|grant|sub|iss)\b/i, `${code}: ${text}`);
    assert.ok(isTokenError({ code }));
  }
  assert.equal(describeTokenError(new SignalingError('token-expired', 'x')), 'This link has expired — ask for a new one.');
  assert.equal(describeTokenError(new SignalingError('room-full', 'full')), null);
  assert.equal(describeTokenError(undefined), null);
  assert.equal(describeTokenError({ code: 'toString' }), null, 'inherited names are not codes');
});

test('SignalingClient.join sends the token and a refusal rejects with its code', async () => {
  const { FakeWebSocket, tick } = await import('./fake-websocket.js');
  const { SignalingClient } = await import('../sdk/signaling.js');
  FakeWebSocket.reset();
  const client = new SignalingClient('ws://test/ws', { WebSocket: FakeWebSocket, requestTimeout: 500 });
  const connected = client.connect();
  await tick();
  FakeWebSocket.last.welcome();
  await connected;
  const joining = client.join({ room: 'standup', token: 'eyJ.a.b' });
  await tick();
  const join = FakeWebSocket.last.lastSent('join');
  assert.equal(join.token, 'eyJ.a.b');
  FakeWebSocket.last.receive({ type: 'error', id: join.id, request: 'join', code: 'token-expired', message: 'the token expired' });
  await assert.rejects(joining, (error) => error.code === 'token-expired'
    && describeTokenError(error) === 'This link has expired — ask for a new one.');

  const plain = client.join({ room: 'standup' });
  await tick();
  assert.equal('token' in FakeWebSocket.last.lastSent('join'), false, 'no token field without a token');
  FakeWebSocket.last.receive({ type: 'error', id: FakeWebSocket.last.lastSent('join').id, code: 'token-required', message: 'x' });
  await assert.rejects(plain);
  client.close();
});
