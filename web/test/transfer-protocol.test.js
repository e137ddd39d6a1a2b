import test from 'node:test';
import assert from 'node:assert/strict';
import { encode, decode, ProtocolError, MESSAGE_TYPES, newTransferId } from '../sdk/transfer-protocol.js';

const id = 'AbC_123-xyz';
const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('every documented message round-trips', () => {
  const samples = {
    offer: { transferId: id, from: 'Ann', files: [{ index: 0, name: 'a.txt', size: 3, type: 'text/plain' }] },
    accept: { transferId: id },
    decline: { transferId: id, reason: 'no thanks' },
    'resume-from': { transferId: id, positions: [{ index: 0, offset: 1024 }] },
    'file-start': { transferId: id, index: 0, offset: 0 },
    'file-end': { transferId: id, index: 0, size: 0, sha256: sha },
    ack: { transferId: id, index: 2, offset: 1 << 20 },
    'file-done': { transferId: id, index: 0, ok: true, sha256: sha },
    done: { transferId: id },
    cancel: { transferId: id },
    error: { transferId: id, code: 'quota', message: 'disk full' },
  };
  assert.deepEqual(Object.keys(samples).sort(), [...MESSAGE_TYPES].sort());
  for (const [type, body] of Object.entries(samples)) {
    assert.deepEqual(decode(encode(type, body)), { type, ...body });
  }
});

test('malformed control messages are rejected with a ProtocolError', () => {
  const bad = [
    'not json', '[]', '{"type":"nope","transferId":"a"}',
    JSON.stringify({ type: 'accept' }),
    JSON.stringify({ type: 'accept', transferId: '../etc' }),
    JSON.stringify({ type: 'ack', transferId: id, index: 0, offset: -1 }),
    JSON.stringify({ type: 'ack', transferId: id, index: 0.5, offset: 1 }),
    JSON.stringify({ type: 'file-end', transferId: id, index: 0, size: 1, sha256: 'XYZ' }),
    JSON.stringify({ type: 'offer', transferId: id, from: 'x', files: [] }),
    JSON.stringify({ type: 'offer', transferId: id, from: 'x', files: [{ index: 1, name: 'a', size: 1 }] }),
    JSON.stringify({ type: 'offer', transferId: id, from: 'x', files: [{ index: 0, name: '', size: 1 }] }),
    JSON.stringify({ type: 'resume-from', transferId: id, positions: [{ index: 0 }] }),
    JSON.stringify({ type: 'ack', transferId: id, index: 0, offset: 2 ** 60 }),
  ];
  for (const text of bad) assert.throws(() => decode(text), ProtocolError, text);
});

test('transfer ids are 22 url-safe characters and differ', () => {
  const a = newTransferId();
  assert.match(a, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(a, newTransferId());
});
