// Worker side of end-to-end encryption (e2ee.js): encrypts outgoing and decrypts incoming encoded
// frames with the format of e2ee-frame.js. Frames reach it through WebRTC Encoded Transforms
// (RTCRtpScriptTransform: the `rtctransform` event) or, on older Chromium, as the streams of
// createEncodedStreams() posted to it.
//
// Messages from the page: {type: 'key', index, key: CryptoKey|null, current: boolean}
//                         {type: 'streams', readable, writable, options} (createEncodedStreams)
// Messages to the page:   {type: 'stats', id, kind, operation, frames, failures, consecutiveFailures, reason}
import { decryptFrame, encryptFrame, frameIv } from './e2ee-frame.js';

const keys = new Map(); // key index -> CryptoKey
let currentIndex = null;
const counters = new Map(); // transform id -> stats, posted when changed
const dirty = new Set();

self.onmessage = ({ data }) => {
  if (data.type === 'key') {
    if (data.key) keys.set(data.index, data.key);
    else keys.delete(data.index);
    if (data.current) currentIndex = data.key ? data.index : null;
  } else if (data.type === 'streams') {
    pipe(data.readable, data.writable, data.options);
  }
};

self.onrtctransform = ({ transformer }) => pipe(transformer.readable, transformer.writable, transformer.options);

function pipe(readable, writable, { operation, kind, id }) {
  const stats = { id, kind, operation, frames: 0, failures: 0, consecutiveFailures: 0, reason: null };
  counters.set(id, stats);
  const transform = operation === 'encrypt' ? encrypter(stats) : decrypter(stats);
  readable.pipeThrough(new TransformStream({ transform })).pipeTo(writable)
    .catch((error) => console.warn('parley e2ee: transform ended', id, error));
}

function encrypter(stats) {
  let counter = crypto.getRandomValues(new Uint32Array(1))[0];
  return async (frame, controller) => {
    const key = currentIndex === null ? null : keys.get(currentIndex);
    if (!key) { // never send a frame in the clear when encryption is on
      note(stats, false, 'no-key');
      return;
    }
    const meta = frame.getMetadata();
    counter = (counter + 1) >>> 0;
    const iv = frameIv(meta.synchronizationSource ?? 0, meta.rtpTimestamp ?? frame.timestamp ?? 0, counter);
    frame.data = await encryptFrame(key, currentIndex, frame.data, { kind: stats.kind, keyFrame: frame.type === 'key', iv });
    note(stats, true);
    controller.enqueue(frame);
  };
}

function decrypter(stats) {
  return async (frame, controller) => {
    if (frame.data.byteLength === 0) {
      controller.enqueue(frame);
      return;
    }
    try {
      frame.data = await decryptFrame((index) => keys.get(index), frame.data, { kind: stats.kind, keyFrame: frame.type === 'key' });
    } catch (error) {
      note(stats, false, error.reason ?? 'error'); // dropped: the decoder gets nothing rather than garbage
      return;
    }
    note(stats, true);
    controller.enqueue(frame);
  };
}

function note(stats, ok, reason = null) {
  if (ok) {
    stats.frames += 1;
    stats.consecutiveFailures = 0;
  } else {
    stats.failures += 1;
    stats.consecutiveFailures += 1;
    stats.reason = reason;
  }
  dirty.add(stats.id);
}

setInterval(() => {
  for (const id of dirty) self.postMessage({ type: 'stats', ...counters.get(id) });
  dirty.clear();
}, 250);
