// Incremental SHA-256 (hash-wasm) for the transfer: in a worker where the page has workers, so
// hashing a large file does not compete with the data channel on the page's main thread; in the
// calling thread otherwise (Node tests). Both sides of a transfer use it.
import { createSHA256 } from 'hash-wasm';

/**
 * @typedef {{update: (bytes: Uint8Array) => void, save: () => Promise<Uint8Array>,
 *   digest: () => Promise<string>}} Sha256Stream
 * update copies the bytes (the caller may reuse or transfer its buffer at once); save resolves
 * with the state after every update made before it (hash-wasm's save format); digest with hex.
 */

/**
 * A new hash, or one continuing from a saved state.
 * @param {{state?: Uint8Array|null, inWorker?: boolean}} [options]
 * @returns {Promise<Sha256Stream>}
 */
export async function createSha256Stream({ state = null, inWorker = typeof Worker !== 'undefined' } = {}) {
  return inWorker ? workerStream(state) : localStream(state);
}

async function localStream(state) {
  const hasher = await createSHA256();
  if (state) hasher.load(state);
  return {
    update: (bytes) => { hasher.update(bytes); },
    save: async () => hasher.save(),
    digest: async () => hasher.digest('hex'),
  };
}

/** Bytes gathered from small updates before they go to the worker in one message. */
const HASH_BLOCK = 1024 * 1024;

let worker = null;
let nextId = 1;
const pending = new Map(); // request id → {resolve, reject}

function call(message, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...message, id }, transfer);
  });
}

async function workerStream(state) {
  if (!worker) {
    worker = new Worker(new URL('./sha256-worker.js', import.meta.url), { type: 'module', name: 'parley-sha256' });
    worker.onmessage = ({ data }) => {
      const request = pending.get(data.id);
      if (!request) return;
      pending.delete(data.id);
      if (data.error) request.reject(new Error(data.error));
      else request.resolve(data.value);
    };
    worker.onerror = (event) => {
      for (const request of pending.values()) request.reject(new Error(event.message || 'hash worker failed'));
      pending.clear();
    };
  }
  const hash = nextId++;
  await call({ op: 'create', hash, state });
  let failure = null;
  // Small updates (a receiver's data-channel chunks) are gathered into blocks of HASH_BLOCK
  // bytes, and each block is transferred to the worker: one message per block, not per chunk,
  // and still one copy of each byte (the copy update() makes anyway).
  let block = null;
  let filled = 0;
  const post = (bytes) => {
    // Updates are not answered one by one; a failed one shows up in the next save or digest.
    call({ op: 'update', hash, bytes }, [bytes.buffer]).catch((error) => { failure ??= error; });
  };
  const postBlock = () => {
    if (filled > 0) post(filled === block.length ? block : block.subarray(0, filled));
    block = null;
    filled = 0;
  };
  return {
    update: (bytes) => {
      if (filled === 0 && bytes.length >= HASH_BLOCK) {
        post(bytes.slice()); // a large read (the sender's): one copy, one message
        return;
      }
      let done = 0;
      while (done < bytes.length) {
        block ??= new Uint8Array(HASH_BLOCK);
        const n = Math.min(bytes.length - done, HASH_BLOCK - filled);
        block.set(bytes.subarray(done, done + n), filled);
        filled += n;
        done += n;
        if (filled === HASH_BLOCK) postBlock();
      }
    },
    save: async () => { postBlock(); const value = await call({ op: 'save', hash }); if (failure) throw failure; return value; },
    digest: async () => { postBlock(); const value = await call({ op: 'digest', hash }); if (failure) throw failure; return value; },
  };
}
