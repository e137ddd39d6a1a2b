// The end-to-end encrypted frame format (pure: WebCrypto only, no DOM, no RTCPeerConnection), used
// by the encoded-transform worker (e2ee-worker.js) and tested with Node's WebCrypto.
//
// An encrypted frame, as the encoded transform hands it to the packetizer:
//
//   | clear header | AES-GCM(rest of the frame) incl. 16-byte tag | IV (12 bytes) | key index (1) |
//
// The clear header is what the SFU and the receiver's depacketizer read from the *frame* bytes
// (the encoded transform never sees the RTP payload descriptor, which the packetizer writes
// after the transform — RFC 7741 §4.2 PictureID, TL0PICIDX, TID, KEYIDX stay readable to the SFU):
//  - VP8 key frame: 10 bytes, the 3-byte frame tag with the P (inverse key frame) bit, the start
//    code 9d 01 2a and the 14-bit width and height (RFC 6386 §9.1). Parley's SFU
//    (Vp8PayloadView.isKeyFrame, keyFrameWidth/Height) reads exactly these.
//  - VP8 delta frame: 3 bytes, the frame tag (RFC 6386 §9.1; P bit = 1).
//  - Opus: 1 byte, the TOC (RFC 6716 §3.1).
// The clear header is also the AES-GCM additional data, so changing it breaks the tag.
//
// The IV is unique per frame: sender SSRC (4) | RTP timestamp (4) | per-sender counter (4, started
// at a random value). A per-frame IV never repeats under one key within one sender; across
// senders the SSRCs differ (and the counters start at random points).

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
/** IV + key index. */
export const TRAILER_LENGTH = IV_LENGTH + 1;
/** PBKDF2 parameters of deriveKey (salt fixed per format version: the passphrase carries the entropy). */
export const KDF = Object.freeze({ name: 'PBKDF2', hash: 'SHA-256', iterations: 100_000, salt: 'parley-e2ee-v1' });

/** Bytes left unencrypted at the start of a frame: see the header comment for why. */
export function clearBytes(kind, keyFrame) {
  if (kind === 'audio') return 1;
  return keyFrame ? 10 : 3;
}

/** An AES-GCM-128 key from a passphrase (PBKDF2-SHA-256). Non-extractable. */
export async function deriveKey(passphrase, subtle = globalThis.crypto.subtle) {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('empty passphrase');
  const enc = new TextEncoder();
  const material = await subtle.importKey('raw', enc.encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'PBKDF2', hash: KDF.hash, iterations: KDF.iterations, salt: enc.encode(KDF.salt) },
    material, { name: 'AES-GCM', length: 128 }, false, ['encrypt', 'decrypt']);
}

/** The 12-byte IV for one frame. */
export function frameIv(ssrc, timestamp, counter) {
  const iv = new Uint8Array(IV_LENGTH);
  const view = new DataView(iv.buffer);
  view.setUint32(0, ssrc >>> 0);
  view.setUint32(4, timestamp >>> 0);
  view.setUint32(8, counter >>> 0);
  return iv;
}

/**
 * Encrypts one encoded frame. `data` is the frame (ArrayBuffer or Uint8Array); returns a new
 * ArrayBuffer in the format above.
 */
export async function encryptFrame(key, keyIndex, data, { kind, keyFrame = false, iv }, subtle = globalThis.crypto.subtle) {
  const bytes = toBytes(data);
  const n = Math.min(clearBytes(kind, keyFrame), bytes.length);
  const header = bytes.subarray(0, n);
  const sealed = new Uint8Array(await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: header, tagLength: TAG_LENGTH * 8 }, key, bytes.subarray(n)));
  const out = new Uint8Array(n + sealed.length + TRAILER_LENGTH);
  out.set(header, 0);
  out.set(sealed, n);
  out.set(iv, n + sealed.length);
  out[out.length - 1] = keyIndex & 0xFF;
  return out.buffer;
}

/** Why a frame could not be decrypted (DecryptError.reason). */
export class DecryptError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'DecryptError';
    this.reason = reason; // 'too-short' | 'no-key' | 'auth-failed'
  }
}

/**
 * Decrypts one frame. `keyFor(index)` returns the CryptoKey of a key index or null. `keyFrame`
 * is what the receiver's frame metadata says (the clear header decides it: a VP8 key frame has
 * P = 0 in its first byte). Throws DecryptError; returns the plain frame as an ArrayBuffer.
 */
export async function decryptFrame(keyFor, data, { kind, keyFrame = false }, subtle = globalThis.crypto.subtle) {
  const bytes = toBytes(data);
  const n = clearBytes(kind, keyFrame);
  if (bytes.length < TAG_LENGTH + TRAILER_LENGTH) throw new DecryptError('too-short', `frame of ${bytes.length} bytes`);
  const keyIndex = bytes[bytes.length - 1];
  const key = keyFor(keyIndex);
  if (!key) throw new DecryptError('no-key', `no key with index ${keyIndex}`);
  const iv = bytes.subarray(bytes.length - TRAILER_LENGTH, bytes.length - 1);
  // A frame shorter than its clear header was sent with all of it clear (see encryptFrame).
  const clear = Math.min(n, bytes.length - TAG_LENGTH - TRAILER_LENGTH);
  const header = bytes.subarray(0, clear);
  let plain;
  try {
    plain = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: header, tagLength: TAG_LENGTH * 8 },
      key, bytes.subarray(clear, bytes.length - TRAILER_LENGTH)));
  } catch {
    throw new DecryptError('auth-failed', 'authentication failed: a different key, or the frame was changed');
  }
  const out = new Uint8Array(clear + plain.length);
  out.set(header, 0);
  out.set(plain, clear);
  return out.buffer;
}

function toBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('frame data must be an ArrayBuffer or a typed array');
}
