import test from 'node:test';
import assert from 'node:assert/strict';
import {
  clearBytes, decryptFrame, deriveKey, encryptFrame, frameIv, DecryptError, TAG_LENGTH, TRAILER_LENGTH,
} from '../sdk/e2ee-frame.js';
import { e2eeSupport, fragmentWithPassphrase, passphraseFromFragment, roomFromFragment, randomPassphrase } from '../sdk/e2ee.js';

// A VP8 key frame start (RFC 6386 §9.1): frame tag with P=0, start code 9d 01 2a, 640x480.
const VP8_KEY = Uint8Array.from([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, ...Array(200).fill(7)]);
const VP8_DELTA = Uint8Array.from([0x31, 0x10, 0x00, ...Array(120).fill(9)]);
const OPUS = Uint8Array.from([0x78, ...Array(60).fill(3)]);

const key = await deriveKey('correct horse battery staple');
const keys = (k) => (index) => (index === 0 ? k : null);
const iv = () => frameIv(0x11223344, 90_000, 7);

test('a frame survives encrypt then decrypt, for every kind', async () => {
  for (const [frame, kind, keyFrame] of [[VP8_KEY, 'video', true], [VP8_DELTA, 'video', false], [OPUS, 'audio', false]]) {
    const sealed = await encryptFrame(key, 0, frame, { kind, keyFrame, iv: iv() });
    assert.equal(sealed.byteLength, frame.length + TAG_LENGTH + TRAILER_LENGTH);
    const plain = new Uint8Array(await decryptFrame(keys(key), sealed, { kind, keyFrame }));
    assert.deepEqual(plain, frame);
  }
});

test('exactly the bytes the SFU and depacketizer read stay clear: 10 (VP8 key), 3 (VP8 delta), 1 (Opus)', async () => {
  assert.equal(clearBytes('video', true), 10);
  assert.equal(clearBytes('video', false), 3);
  assert.equal(clearBytes('audio', false), 1);
  for (const [frame, kind, keyFrame, n] of [[VP8_KEY, 'video', true, 10], [VP8_DELTA, 'video', false, 3], [OPUS, 'audio', false, 1]]) {
    const sealed = new Uint8Array(await encryptFrame(key, 0, frame, { kind, keyFrame, iv: iv() }));
    assert.deepEqual(sealed.subarray(0, n), frame.subarray(0, n), `${kind} key=${keyFrame}: header clear`);
    assert.notDeepEqual(sealed.subarray(n, n + 16), frame.subarray(n, n + 16), 'the body is not');
  }
  // What Parley's SFU checks for a key frame (Vp8PayloadView.isKeyFrame): P bit clear and 9d 01 2a.
  const sealed = new Uint8Array(await encryptFrame(key, 0, VP8_KEY, { kind: 'video', keyFrame: true, iv: iv() }));
  assert.equal(sealed[0] & 1, 0);
  assert.deepEqual([...sealed.subarray(3, 6)], [0x9d, 0x01, 0x2a]);
});

test('the trailer carries the IV and the key index', async () => {
  const sealed = new Uint8Array(await encryptFrame(key, 3, OPUS, { kind: 'audio', iv: iv() }));
  assert.equal(sealed[sealed.length - 1], 3);
  assert.deepEqual(sealed.subarray(sealed.length - 13, sealed.length - 1), iv());
  await assert.rejects(decryptFrame(keys(key), sealed, { kind: 'audio' }), (e) => e instanceof DecryptError && e.reason === 'no-key');
});

test('a different passphrase cannot decrypt', async () => {
  const other = await deriveKey('a different passphrase');
  const sealed = await encryptFrame(key, 0, VP8_DELTA, { kind: 'video', iv: iv() });
  await assert.rejects(decryptFrame(keys(other), sealed, { kind: 'video' }), (e) => e.reason === 'auth-failed');
});

test('a changed byte anywhere (clear header included) makes decryption fail', async () => {
  const sealed = new Uint8Array(await encryptFrame(key, 0, VP8_KEY, { kind: 'video', keyFrame: true, iv: iv() }));
  for (const at of [0, 5, 9, 10, 50, sealed.length - TRAILER_LENGTH - 1, sealed.length - 2]) {
    const tampered = sealed.slice();
    tampered[at] ^= 0x01;
    await assert.rejects(decryptFrame(keys(key), tampered, { kind: 'video', keyFrame: true }),
      (e) => e.reason === 'auth-failed', `byte ${at}`);
  }
});

test('unencrypted and truncated frames are refused, not passed on', async () => {
  // A clear frame's last byte reads as a key index: no such key, or the tag check fails.
  await assert.rejects(decryptFrame(keys(key), VP8_DELTA, { kind: 'video' }), (e) => ['no-key', 'auth-failed'].includes(e.reason));
  await assert.rejects(decryptFrame(keys(key), Uint8Array.from([...VP8_DELTA, 0]), { kind: 'video' }), (e) => e.reason === 'auth-failed');
  await assert.rejects(decryptFrame(keys(key), OPUS.subarray(0, 20), { kind: 'audio' }), (e) => e.reason === 'too-short');
});

test('a frame shorter than its clear header still round-trips', async () => {
  const tiny = Uint8Array.from([0x31, 0x10]);
  const sealed = await encryptFrame(key, 0, tiny, { kind: 'video', iv: iv() });
  assert.deepEqual(new Uint8Array(await decryptFrame(keys(key), sealed, { kind: 'video' })), tiny);
});

test('IVs differ per frame: SSRC | RTP timestamp | counter', () => {
  assert.deepEqual([...frameIv(1, 2, 3)], [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
  assert.notDeepEqual(frameIv(1, 2, 3), frameIv(1, 2, 4));
  assert.deepEqual([...frameIv(0xFFFFFFFF, 0, 0)].slice(0, 4), [255, 255, 255, 255]);
});

test('the passphrase lives in the fragment next to the room or token', () => {
  assert.equal(passphraseFromFragment('#abc&e2ee=s3cret'), 's3cret');
  assert.equal(passphraseFromFragment('#e2ee=a%2Bb'), 'a+b');
  assert.equal(passphraseFromFragment('#abc'), null);
  assert.equal(passphraseFromFragment(''), null);
  assert.equal(roomFromFragment('#abc&e2ee=x'), 'abc');
  assert.equal(roomFromFragment('#token=t&e2ee=x'), '');
  assert.equal(fragmentWithPassphrase('#abc', 'p w'), '#abc&e2ee=p%20w');
  assert.equal(fragmentWithPassphrase('#abc&e2ee=old', 'new'), '#abc&e2ee=new');
  assert.equal(fragmentWithPassphrase('#e2ee=old', null), '');
  const p = randomPassphrase();
  assert.match(p, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(p, randomPassphrase());
});

test('encoded transforms are feature-detected: the standard one first, then Chromium\'s older API', () => {
  class Sender {}
  Sender.prototype.createEncodedStreams = () => {};
  assert.equal(e2eeSupport({ RTCRtpScriptTransform: class {}, RTCRtpSender: Sender }), 'script-transform');
  assert.equal(e2eeSupport({ RTCRtpSender: Sender }), 'encoded-streams');
  assert.equal(e2eeSupport({ RTCRtpSender: class {} }), null);
  assert.equal(e2eeSupport({}), null);
});
