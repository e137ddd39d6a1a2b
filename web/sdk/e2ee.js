// Optional end-to-end encryption of media (the model is Jitsi's and LiveKit's E2EE): every encoded
// frame is encrypted with AES-GCM in a worker (e2ee-worker.js, format in e2ee-frame.js) before
// the packetizer and SRTP see it, so the SFU and TURN relay only ciphertext. The key comes from a
// passphrase (PBKDF2) that never reaches the server: it travels in the link's fragment
// (#…&e2ee=…), which browsers do not send, or is typed in.
//
// Uses WebRTC Encoded Transforms (RTCRtpScriptTransform), else Chromium's older
// createEncodedStreams(); e2eeSupport() says which, or null.
import { deriveKey } from './e2ee-frame.js';

/** The fragment parameter that carries the passphrase. */
export const FRAGMENT_PARAM = 'e2ee';
/** Consecutive frames a receiver must fail to decrypt before it counts as failing. */
export const FAILING_AFTER = 5;

/** 'script-transform', 'encoded-streams' or null (no way to touch encoded frames here). */
export function e2eeSupport(g = globalThis) {
  if (typeof g.RTCRtpScriptTransform === 'function') return 'script-transform';
  if (typeof g.RTCRtpSender?.prototype?.createEncodedStreams === 'function') return 'encoded-streams';
  return null;
}

/** Splits a fragment (`#room&e2ee=x`, `#token=t&e2ee=x`, `#e2ee=x`) into its parts, in order. */
function fragmentParts(hash) {
  return (hash ?? '').replace(/^#/, '').split('&').filter(Boolean);
}

/** The passphrase in a page fragment, or null. */
export function passphraseFromFragment(hash) {
  for (const part of fragmentParts(hash)) {
    if (part.startsWith(`${FRAGMENT_PARAM}=`)) {
      const value = decodeURIComponent(part.slice(FRAGMENT_PARAM.length + 1));
      return value || null;
    }
  }
  return null;
}

/** The fragment with the passphrase set (or removed, when null); keeps the other parts. */
export function fragmentWithPassphrase(hash, passphrase) {
  const parts = fragmentParts(hash).filter((p) => !p.startsWith(`${FRAGMENT_PARAM}=`));
  if (passphrase) parts.push(`${FRAGMENT_PARAM}=${encodeURIComponent(passphrase)}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

/** The room id of a room-app fragment (`#room&e2ee=…`): the part that is not `name=value`. */
export function roomFromFragment(hash) {
  return fragmentParts(hash).find((p) => !p.includes('=')) ?? '';
}

/** 128 random bits, base64url: a passphrase for a new encrypted call's link. */
export function randomPassphrase() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * One page's encryption: a worker and the key. Attach every sender and receiver of the call's
 * peer connections. Events (CustomEvent detail): status {sent, received, decryptFailures,
 * failing: [label]} whenever counts change (at most every 250 ms).
 */
export class E2EE extends EventTarget {
  /** `mode` picks the API ('script-transform' | 'encoded-streams'); default: what e2eeSupport() finds. */
  constructor({ workerUrl = new URL('./e2ee-worker.js', import.meta.url), mode = e2eeSupport() } = {}) {
    super();
    this.mode = mode;
    if (!this.mode) throw new Error('this browser cannot encrypt media end to end (no encoded transforms)');
    this.worker = new Worker(workerUrl, { type: 'module', name: 'parley-e2ee' });
    this.worker.onmessage = ({ data }) => data.type === 'stats' && this._onStats(data);
    this.enabled = false;
    this._attached = new WeakSet();
    this._next = 0;
    /** transform id -> {label, kind, operation, frames, failures, consecutiveFailures, reason} */
    this.transforms = new Map();
  }

  /**
   * Derives the key from `passphrase` and uses it from the next frame on. Key index 0: everyone
   * with the same passphrase has the same key (the trailer's key index is there for rotation).
   */
  async setPassphrase(passphrase) {
    const key = await deriveKey(passphrase);
    this.worker.postMessage({ type: 'key', index: 0, key, current: true });
    this.enabled = true;
  }

  /** `config` plus what the createEncodedStreams path needs (Chromium refuses it otherwise). */
  rtcConfig(config = {}) {
    return this.mode === 'encoded-streams' ? { ...config, encodedInsertableStreams: true } : config;
  }

  /** Encrypts what `sender` sends (`kind`: 'audio' | 'video'; defaults to its track's). */
  attachSender(sender, kind = sender.track?.kind, label = 'local') {
    return this._attach(sender, 'encrypt', kind, label);
  }

  /** Decrypts what `receiver` receives; `label` names the sender in status events (e.g. a peer id). */
  attachReceiver(receiver, label = 'remote', kind = receiver.track?.kind) {
    return this._attach(receiver, 'decrypt', kind, label);
  }

  /** Totals over all transforms, and the labels of receivers that currently fail to decrypt. */
  status() {
    const s = { sent: 0, received: 0, decryptFailures: 0, failing: [] };
    for (const t of this.transforms.values()) {
      if (t.operation === 'encrypt') {
        s.sent += t.frames;
        continue;
      }
      s.received += t.frames;
      s.decryptFailures += t.failures;
      if (t.consecutiveFailures >= FAILING_AFTER && !s.failing.includes(t.label)) s.failing.push(t.label);
    }
    return s;
  }

  /** Drops the counts of earlier transforms (their connections were closed and rebuilt). */
  forgetTransforms() {
    this.transforms.clear();
  }

  close() {
    this.worker.terminate();
    this.transforms.clear();
  }

  _attach(endpoint, operation, kind, label) {
    if (this._attached.has(endpoint)) return null;
    if (kind !== 'audio' && kind !== 'video') throw new Error(`unknown media kind ${kind}`);
    this._attached.add(endpoint);
    const id = `${operation}-${this._next += 1}`;
    const options = { operation, kind, id };
    this.transforms.set(id, { label, kind, operation, frames: 0, failures: 0, consecutiveFailures: 0, reason: null });
    if (this.mode === 'script-transform') {
      endpoint.transform = new RTCRtpScriptTransform(this.worker, options);
    } else {
      const { readable, writable } = endpoint.createEncodedStreams();
      this.worker.postMessage({ type: 'streams', readable, writable, options }, [readable, writable]);
    }
    return id;
  }

  _onStats({ id, frames, failures, consecutiveFailures, reason }) {
    const t = this.transforms.get(id);
    if (!t) return;
    Object.assign(t, { frames, failures, consecutiveFailures, reason });
    this.dispatchEvent(new CustomEvent('status', { detail: this.status() }));
  }
}
